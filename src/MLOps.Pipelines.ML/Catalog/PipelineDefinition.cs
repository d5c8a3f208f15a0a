using MLOps.Pipelines.ML.Artifacts;
using MLOps.Pipelines.ML.Data;
using MLOps.Pipelines.ML.Features;
using MLOps.Pipelines.ML.Tasks;
using MLOps.Pipelines.ML.Training;

namespace MLOps.Pipelines.ML.Catalog;

/// <summary>
/// Everything specific to one pipeline, as data: its name, raw file under <c>data/</c>, schema contract, features (whose
/// label makes the task binary or multiclass), how it may split, the metrics its quality gate and promotion judge by, and
/// training defaults that suit its size. The stages do the rest; a repository lists its definitions in a catalog.
/// </summary>
/// <param name="Name">The pipeline's name, e.g. <c>FlightDelays</c>.</param>
/// <param name="RawFile">The raw data file's name under <c>data/</c>.</param>
/// <param name="ModelName">The model's name in the registry (<c>models/&lt;name&gt;/</c>) and the artifacts folder.</param>
public sealed record PipelineDefinition(string Name, string RawFile, string ModelName, SchemaContract Schema, FeatureDefinition Features)
{
    private readonly string? _gateMetric;
    private readonly string? _promotionMetric;

    /// <summary>The split by time, or null when the data has no timestamp to split on.</summary>
    public TimeSplit? TimeSplit { get; init; }

    /// <summary>
    /// Features that vary with the calendar (e.g. <c>month</c>): Monitor reports their drift but does not count it towards
    /// the data-set alarm, since a later batch always differs from the training months in them.
    /// </summary>
    public IReadOnlyList<string> SeasonalFeatures { get; init; } = [];

    /// <summary>What the model is for and what it must not be used for (the model card's first section).</summary>
    public string IntendedUse { get; init; } = "";

    /// <summary>Hyperparameters when the build overrides none (seed and threads come from the build).</summary>
    public TrainingOptions Training { get; init; } = new();

    /// <summary>The least (or, for a loss, the most) test value of <see cref="GateMetric"/> a model must reach.</summary>
    public double GateThreshold { get; init; } = 0.65;

    /// <summary>The metric the quality gate judges by; the task's primary metric unless set.</summary>
    public string GateMetric
    {
        get => _gateMetric ?? Task.PrimaryMetric;
        init => _gateMetric = Task.RequireMetric(value, nameof(GateMetric));
    }

    /// <summary>The metric a challenger must beat the champion on to be promoted; the task's primary metric unless set.</summary>
    public string PromotionMetric
    {
        get => _promotionMetric ?? Task.PrimaryMetric;
        init => _promotionMetric = Task.RequireMetric(value, nameof(PromotionMetric));
    }

    public FeatureSpec Spec => Features.Spec;

    public ModelTask Task => Spec.ModelTask;

    /// <summary>Ingest and Prepare with this pipeline's schema and features.</summary>
    public DataStages Stages => new(Schema, Features);

    /// <summary>The folder under <c>artifacts/</c> its stages write to (the model's name).</summary>
    public string Folder => ModelName;

    /// <summary>The split Prepare uses; throws naming the parameter when the pipeline cannot split that way.</summary>
    public DataSplit Split(SplitKind kind, double trainFraction, int seed)
    {
        if (kind == SplitKind.Time)
        {
            return TimeSplit ?? throw new ArgumentException(
                $"Pipeline {Name} has no timestamp column to split on; use --split Random.", nameof(kind));
        }

        if (!(trainFraction > 0 && trainFraction < 1))
            throw new ArgumentOutOfRangeException(nameof(trainFraction), trainFraction, $"--train-fraction {trainFraction} must be between 0 and 1 (exclusive), e.g. 0.8.");
        if (seed < 0)
            throw new ArgumentOutOfRangeException(nameof(seed), seed, $"--seed {seed} must not be negative.");
        return new RandomSplit(trainFraction, (ulong)seed);
    }

    /// <summary>The raw data file in a repository: <c>&lt;root&gt;/data/&lt;RawFile&gt;</c>.</summary>
    public AbsolutePath RawDataPath(AbsolutePath rootDirectory) => rootDirectory / "data" / RawFile;

    /// <summary>Where this pipeline's stages write, under <paramref name="artifactsDirectory"/>, and its registry file under <paramref name="rootDirectory"/>.</summary>
    public PipelineArtifacts Artifacts(AbsolutePath rootDirectory, AbsolutePath artifactsDirectory) =>
        new(artifactsDirectory / Folder, rootDirectory / "models" / ModelName / Registry.ModelRegistry.FileName, ModelName);
}

namespace MLOps.Pipelines.ML.Training;

/// <summary>
/// Hyperparameters of <see cref="ModelTrainer"/>. Defaults are the measured choice for the flights data
/// (docs/benchmarks.md): LightGBM, 255 leaves, 250 trees, learning rate 0.12, categorical splits.
/// </summary>
/// <param name="Trees">Boosting iterations (LightGBM, FastTree) or maximum SDCA passes.</param>
/// <param name="Threads">
/// Explicit thread count: LightGBM's OpenMP threads busy-wait under load, so never leave it to the default.
/// Also start the process with OMP_WAIT_POLICY=PASSIVE (setting it from inside the process is too late).
/// SDCA is only deterministic with one thread.
/// </param>
public sealed record TrainingOptions(
    TrainerKind Trainer = TrainerKind.LightGbm,
    int Trees = 250,
    int Leaves = 255,
    double LearningRate = 0.12,
    int MinExamplesPerLeaf = 20,
    int Seed = 42,
    int Threads = 2,
    CategoricalHandling Categorical = CategoricalHandling.CategoricalSplit)
{
    /// <summary>The hyperparameters as invariant strings by name (Trainer, Trees, …), as lineage records parameters.</summary>
    public IReadOnlyDictionary<string, string> AsParameters() => new SortedDictionary<string, string>(StringComparer.Ordinal)
    {
        [nameof(Trainer)] = Trainer.ToString(),
        [nameof(Trees)] = Trees.ToString(System.Globalization.CultureInfo.InvariantCulture),
        [nameof(Leaves)] = Leaves.ToString(System.Globalization.CultureInfo.InvariantCulture),
        [nameof(LearningRate)] = LearningRate.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
        [nameof(MinExamplesPerLeaf)] = MinExamplesPerLeaf.ToString(System.Globalization.CultureInfo.InvariantCulture),
        [nameof(Categorical)] = Categorical.ToString(),
    };

    /// <summary>Throws naming the parameter when a value cannot train a model.</summary>
    public void Validate()
    {
        Require(Trees >= 1, nameof(Trees), Trees, "at least 1");
        Require(Leaves >= 2, nameof(Leaves), Leaves, "at least 2");
        Require(LearningRate > 0 && LearningRate <= 1, nameof(LearningRate), LearningRate, "in (0, 1]");
        Require(MinExamplesPerLeaf >= 1, nameof(MinExamplesPerLeaf), MinExamplesPerLeaf, "at least 1");
        Require(Threads >= 1, nameof(Threads), Threads, "at least 1");
    }

    private static void Require(bool ok, string name, object value, string rule)
    {
        if (!ok)
        {
            throw new ArgumentOutOfRangeException(name, value, $"Training option {name} = {value} must be {rule}.");
        }
    }
}

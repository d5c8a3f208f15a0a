using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;
using Microsoft.ML.Trainers.FastTree;
using Microsoft.ML.Trainers.LightGbm;
using Microsoft.ML.Transforms;
using MLOps.Pipelines.ML.Features;
using MLOps.Pipelines.ML.Tasks;

namespace MLOps.Pipelines.ML.Training;

/// <summary>Fits featurization (mean imputation, one-hot) and a binary or multiclass trainer on a data view.</summary>
public static class ModelTrainer
{
    internal const string FeaturesColumn = "Features";
    internal const string LabelKeyColumn = "__LabelKey";
    private const string NumericColumn = "__Numeric";
    private const string ImputedColumn = "__NumericImputed";
    private const string OneHotPrefix = "__OneHot_";

    // LightGBM fits in one process run one at a time: its OpenMP thread count is process-wide state, and two fits with
    // different thread counts index per-thread buffers out of range and crash the process (LightGBM #2820, ML.NET
    // #4918). The engine runs independent targets (Train@A, Train@B) in parallel in one process, and so do test classes.
    private static readonly Lock LightGbmFit = new();

    /// <summary>
    /// Trains on <paramref name="train"/>, which must hold the spec's numeric columns as float, categoricals as
    /// string and the label as bool (binary) or string (multiclass: LightGBM with softmax, or SDCA maximum entropy). Deterministic for a given seed and thread count (SDCA: one thread).
    /// </summary>
    public static TrainedModel Train(IDataView train, FeatureSpec spec, TrainingOptions options)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (spec.Numeric.Count + spec.Categorical.Count == 0)
        {
            throw new ArgumentException("The feature spec names no numeric and no categorical column.", nameof(spec));
        }

        var multiclass = spec.Task == TaskKind.Multiclass;
        var labelType = multiclass ? TextDataViewType.Instance : (DataViewType)BooleanDataViewType.Instance;
        var inputs = FeatureColumns(spec).Append((spec.Label, labelType));
        InputSchemaCheck.Require(train.Schema, inputs, "train");

        var context = new MLContext(seed: options.Seed);
        using var progress = FitProgress.Follow(context, options, train.GetRowCount() ?? 0);
        if (!multiclass)
        {
            var pipeline = Featurization(context, spec, options).Append(Trainer(context, spec.Label, options));
            return new TrainedModel(context, Fit(options, () => pipeline.Fit(train)), FeatureOnlySchema(spec), TaskKind.Binary);
        }

        // The class names become key values outside the saved chain, so scoring and ONNX need no label column; sorted
        // by value, the class order (the Score vector's slots) does not depend on row order.
        var keyed = context.Transforms.Conversion.MapValueToKey(LabelKeyColumn, spec.Label,
            keyOrdinality: ValueToKeyMappingEstimator.KeyOrdinality.ByValue).Fit(train).Transform(train);
        var multiclassPipeline = Featurization(context, spec, options)
            .Append(MulticlassTrainer(context, options))
            .Append(context.Transforms.Conversion.MapKeyToValue(TrainedModel.PredictedLabelColumn));
        return new TrainedModel(context, Fit(options, () => multiclassPipeline.Fit(keyed)), FeatureOnlySchema(spec), TaskKind.Multiclass);
    }

    private static T Fit<T>(TrainingOptions options, Func<T> fit)
    {
        if (options.Trainer != TrainerKind.LightGbm) return fit();
        lock (LightGbmFit) return fit();
    }

    private static IEstimator<ITransformer> MulticlassTrainer(MLContext context, TrainingOptions o) => o.Trainer switch
    {
        TrainerKind.LightGbm => context.MulticlassClassification.Trainers.LightGbm(LightGbm(new LightGbmMulticlassTrainer.Options
        {
            // ML.NET's ONNX converter cannot express multiclass categorical splits (the binary rewrite covers one ensemble).
            UseCategoricalSplit = false,
            UseSoftmax = true,
        }, LabelKeyColumn, o)),
        TrainerKind.Sdca => context.MulticlassClassification.Trainers.SdcaMaximumEntropy(new SdcaMaximumEntropyMulticlassTrainer.Options
        {
            LabelColumnName = LabelKeyColumn,
            FeatureColumnName = FeaturesColumn,
            MaximumNumberOfIterations = o.Trees,
            NumberOfThreads = o.Threads,
        }),
        _ => throw new ArgumentOutOfRangeException(nameof(o), o.Trainer,
            $"--trainer {o.Trainer} has no multiclass form here; use LightGbm or Sdca for a multiclass pipeline."),
    };

    /// <summary>
    /// The LightGBM settings the binary and the multiclass trainer share (columns, tree shape, threads, seed, quiet),
    /// set on <paramref name="options"/>, which carries the task's own; the type arguments are inferred from it.
    /// </summary>
    private static TOptions LightGbm<TOptions, TOutput, TTransformer, TModel>(
        LightGbmTrainerBase<TOptions, TOutput, TTransformer, TModel>.OptionsBase options, string label, TrainingOptions o)
        where TOptions : LightGbmTrainerBase<TOptions, TOutput, TTransformer, TModel>.OptionsBase, new()
        where TTransformer : ISingleFeaturePredictionTransformer<TModel>
        where TModel : class
    {
        options.LabelColumnName = label;
        options.FeatureColumnName = FeaturesColumn;
        options.NumberOfIterations = o.Trees;
        options.NumberOfLeaves = o.Leaves;
        options.LearningRate = o.LearningRate;
        options.MinimumExampleCountPerLeaf = o.MinExamplesPerLeaf;
        options.NumberOfThreads = o.Threads;
        options.Seed = o.Seed;
        options.Silent = true;
        options.Verbose = false;
        return (TOptions)options;
    }

    internal static IEnumerable<(string Name, DataViewType Type)> FeatureColumns(FeatureSpec spec) =>
        spec.Numeric.Select(n => (n, (DataViewType)NumberDataViewType.Single))
            .Concat(spec.Categorical.Select(c => (c, (DataViewType)TextDataViewType.Instance)));

    private static DataViewSchema FeatureOnlySchema(FeatureSpec spec)
    {
        var builder = new DataViewSchema.Builder();
        foreach (var (name, type) in FeatureColumns(spec))
        {
            builder.AddColumn(name, type);
        }

        return builder.ToSchema();
    }

    private static IEstimator<ITransformer> Featurization(MLContext context, FeatureSpec spec, TrainingOptions options)
    {
        IEstimator<ITransformer> chain = new EstimatorChain<ITransformer>();
        var parts = new List<string>();
        if (spec.Numeric.Count > 0)
        {
            chain = chain
                .Append(context.Transforms.Concatenate(NumericColumn, spec.Numeric.ToArray()))
                .Append(context.Transforms.ReplaceMissingValues(
                    ImputedColumn, NumericColumn, MissingValueReplacingEstimator.ReplacementMode.Mean));
            parts.Add(ImputedColumn);
        }

        if (spec.Categorical.Count > 0)
        {
            // One-hot in both modes: LightGBM's categorical splits regroup each column's slot range
            // (CategoricalSlotRanges metadata) into one categorical feature. Unseen categories map to all-zero slots.
            var columns = spec.Categorical.Select(c => new InputOutputColumnPair(OneHotPrefix + c, c)).ToArray();
            chain = chain.Append(context.Transforms.Categorical.OneHotEncoding(columns));
            parts.AddRange(columns.Select(c => c.OutputColumnName));
        }

        chain = chain.Append(context.Transforms.Concatenate(FeaturesColumn, parts.ToArray()));
        if (options.Trainer == TrainerKind.Sdca)
        {
            // A linear model needs comparable feature scales; trees do not.
            chain = chain.Append(context.Transforms.NormalizeMinMax(FeaturesColumn));
        }

        return chain;
    }

    private static IEstimator<ITransformer> Trainer(MLContext context, string label, TrainingOptions o) => o.Trainer switch
    {
        TrainerKind.LightGbm => context.BinaryClassification.Trainers.LightGbm(LightGbm(new LightGbmBinaryTrainer.Options
        {
            UseCategoricalSplit = o.Categorical == CategoricalHandling.CategoricalSplit,
        }, label, o)),
        TrainerKind.FastTree => context.BinaryClassification.Trainers.FastTree(new FastTreeBinaryTrainer.Options
        {
            LabelColumnName = label,
            FeatureColumnName = FeaturesColumn,
            NumberOfTrees = o.Trees,
            NumberOfLeaves = o.Leaves,
            LearningRate = o.LearningRate,
            MinimumExampleCountPerLeaf = o.MinExamplesPerLeaf,
            NumberOfThreads = o.Threads,
            Seed = o.Seed,
        }),
        TrainerKind.Sdca => context.BinaryClassification.Trainers.SdcaLogisticRegression(
            new SdcaLogisticRegressionBinaryTrainer.Options
            {
                LabelColumnName = label,
                FeatureColumnName = FeaturesColumn,
                MaximumNumberOfIterations = o.Trees,
                NumberOfThreads = o.Threads,
            }),
        _ => throw new ArgumentOutOfRangeException(nameof(o), o.Trainer, "Unknown trainer."),
    };
}

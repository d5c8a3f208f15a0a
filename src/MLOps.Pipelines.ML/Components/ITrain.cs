using System.Globalization;
using MLOps.Pipelines.ML.Catalog;
using MLOps.Pipelines.ML.Stages;
using MLOps.Pipelines.ML.Training;

namespace MLOps.Pipelines.ML.Components;

/// <summary>
/// The <c>Train</c> stage. Each pipeline trains with its definition's defaults (a 3M-row and a 344-row data set want
/// different trees); a hyperparameter given on the command line overrides them for every pipeline.
/// </summary>
public interface ITrain : IPrepare
{
    [Parameter("Trainer: LightGbm, FastTree (binary only) or Sdca; default: each pipeline's")]
    TrainerKind? Trainer => GetValue<TrainerKind?>(() => Trainer, null);

    [Parameter("Boosting rounds (trees), or SDCA passes; default: each pipeline's", Min = 1)]
    int? Trees => GetValue<int?>(() => Trees, null);

    [Parameter("Leaves per tree; default: each pipeline's", Min = 2)]
    int? Leaves => GetValue<int?>(() => Leaves, null);

    [Parameter("Learning rate; default: each pipeline's", Min = 0, ExclusiveMin = true)]
    double? LearningRate => GetValue<double?>(() => LearningRate, null);

    [Parameter("Minimum examples per leaf; default: each pipeline's", Min = 1)]
    int? MinExamplesPerLeaf => GetValue<int?>(() => MinExamplesPerLeaf, null);

    [Parameter("Training threads (LightGBM's OpenMP threads busy-wait unless OMP_WAIT_POLICY=PASSIVE)", Min = 1)]
    int Threads => GetValue(() => Threads, Environment.ProcessorCount);

    /// <summary>The pipeline's training defaults with whatever the command line overrides.</summary>
    TrainingOptions TrainingOptionsOf(PipelineDefinition pipeline) => pipeline.Training with
    {
        Trainer = Trainer ?? pipeline.Training.Trainer,
        Trees = Trees ?? pipeline.Training.Trees,
        Leaves = Leaves ?? pipeline.Training.Leaves,
        LearningRate = LearningRate ?? pipeline.Training.LearningRate,
        MinExamplesPerLeaf = MinExamplesPerLeaf ?? pipeline.Training.MinExamplesPerLeaf,
        Seed = Seed,
        Threads = Threads,
    };

    Target Train => _ => _
        .Description("Fit each pipeline's model (ML.NET; trainer and hyperparameters from its definition unless overridden)")
        .ForEach(Pipelines, p => p.Name, (_, p) => _
            .DependsOn(Prepare)
            .Inputs(ArtifactsOf(p).TrainData)
            .Outputs(ArtifactsOf(p).Model)
            .Executes(() =>
            {
                var options = TrainingOptionsOf(p);
                var result = TrainStage.Run(ArtifactsOf(p).Prepared, p.Spec, options, ArtifactsOf(p).Model);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{options.Trainer} ({p.Task}): {options.Trees} trees, {options.Leaves} leaves, learning rate {options.LearningRate} on {result.TrainRows:N0} rows in {result.FitTime.TotalSeconds:0.0} s ({options.Threads} threads)"));
            }));
}

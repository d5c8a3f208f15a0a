using MLOps.Pipelines.ML.Stages;
using MLOps.Pipelines.ML.Training;
using MLOps.Pipelines.ML.Tests.TestPipelines;
using MLOps.Pipelines.ML.Catalog;

namespace MLOps.Pipelines.ML.Tests.Stages;

/// <summary>
/// The real churn data ingested and prepared through the catalog's definition, and a small LightGBM model trained on
/// it by <see cref="TrainStage"/>, once for the whole class.
/// </summary>
public sealed class ChurnStagesFixture : IDisposable
{
    public static readonly TrainingOptions SmallModel = new(Trees: 30, Leaves: 15, Threads: 2);

    readonly TrainedPipeline _run = new(CustomerChurnPipeline.Definition, SmallModel, "mlops-stages-");

    public string Root => _run.Folder.Path;
    public PipelineDefinition Definition => _run.Definition;
    public string IngestDirectory => _run.Paths.Ingested;
    public string Prepared => _run.Paths.Prepared;
    public string ModelPath => _run.Paths.Model;
    public TrainStageResult Trained => _run.Trained;

    public string NewDirectory(string name) => Path.Combine(Root, name + "-" + Guid.NewGuid().ToString("N")[..8]);

    public void Dispose() => _run.Dispose();
}

using MLOps.Pipelines.ML.Stages;
using MLOps.Pipelines.ML.Tests.Data;
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

    readonly TemporaryDirectory _root = new("mlops-stages-");

    public ChurnStagesFixture()
    {
        Definition = CustomerChurnPipeline.Definition;
        var ingested = Path.Combine(Root, "ingested");
        Prepared = Path.Combine(Root, "prepared");
        var ingest = ML.Stages.IngestStage.Run(TestData.File(Definition.RawFile), Definition.Schema, ingested);
        ML.Stages.PrepareStage.Run(ingest.DataPath, Definition.Features, Definition.Split(SplitKind.Random, 0.8, 42), Prepared);
        IngestDirectory = ingested;
        ModelPath = Path.Combine(Root, "model", TrainStage.ModelFile);
        Trained = TrainStage.Run(Prepared, Definition.Spec, SmallModel, ModelPath);
    }

    public string Root => _root.Path;
    public PipelineDefinition Definition { get; }
    public string IngestDirectory { get; }
    public string Prepared { get; }
    public string ModelPath { get; }
    public TrainStageResult Trained { get; }

    public string NewDirectory(string name) => Path.Combine(Root, name + "-" + Guid.NewGuid().ToString("N")[..8]);

    public void Dispose() => _root.Dispose();
}

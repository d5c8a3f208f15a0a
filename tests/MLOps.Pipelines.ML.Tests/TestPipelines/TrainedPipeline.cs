using MLOps.Pipelines.ML.Artifacts;
using MLOps.Pipelines.ML.Catalog;
using MLOps.Pipelines.ML.Stages;
using MLOps.Pipelines.ML.Tests.Data;
using MLOps.Pipelines.ML.Training;

namespace MLOps.Pipelines.ML.Tests.TestPipelines;

/// <summary>
/// A pipeline's first stages run as the build runs them, in a temporary folder: Ingest of the real data file, Prepare
/// (random 80/20, seed 42) and Train with <c>options</c>, into the definition's artifact layout; deleted on dispose.
/// </summary>
internal sealed class TrainedPipeline : IDisposable
{
    public TrainedPipeline(PipelineDefinition definition, TrainingOptions options, string prefix)
    {
        Folder = new TemporaryDirectory(prefix);
        Definition = definition;
        Paths = definition.Artifacts(Folder.Path, Folder.Path / "artifacts");
        var ingest = IngestStage.Run(TestData.File(definition.RawFile), definition.Schema, Paths.Ingested);
        PrepareStage.Run(ingest.DataPath, definition.Features, definition.Split(SplitKind.Random, 0.8, 42), Paths.Prepared);
        Trained = TrainStage.Run(Paths.Prepared, definition.Spec, options, Paths.Model);
    }

    /// <summary>The temporary folder: the artifacts under <c>artifacts/</c>, room for a test's own files beside them.</summary>
    public TemporaryDirectory Folder { get; }

    public PipelineDefinition Definition { get; }

    public PipelineArtifacts Paths { get; }

    public TrainStageResult Trained { get; }

    public void Dispose() => Folder.Dispose();
}

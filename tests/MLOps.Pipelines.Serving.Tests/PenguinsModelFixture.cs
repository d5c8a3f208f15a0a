using MLOps.Pipelines.ML.Catalog;
using MLOps.Pipelines.ML.Export;
using MLOps.Pipelines.ML.Stages;
using Pipelines;

namespace MLOps.Pipelines.Serving.Tests;

/// <summary>
/// A real multiclass model directory: the catalog's Penguins pipeline (LightGBM, one-hot categoricals) ingested,
/// prepared, trained, exported to ONNX and made servable (golden.json, model.json with the classes) by the ML
/// library's stages, as Train/Export/Package do. Built once per test class.
/// </summary>
public sealed class PenguinsModelFixture : IDisposable
{
    private readonly TemporaryDirectory root = new("mlops-serving-penguins-");

    public PenguinsModelFixture()
    {
        Definition = PipelineCatalog.Get("Penguins");
        var ingest = IngestStage.Run(RepositoryFiles.Data(Definition.RawFile), Definition.Schema, Path.Combine(root.Path, "ingested"));
        IngestedData = ingest.DataPath;
        var prepared = Path.Combine(root.Path, "prepared");
        PrepareStage.Run(ingest.DataPath, Definition.Features, Definition.Split(SplitKind.Random, 0.8, 42), prepared);
        var zip = Path.Combine(root.Path, "model", TrainStage.ModelFile);
        TrainStage.Run(prepared, Definition.Spec, Definition.Training with { Threads = 1 }, zip);
        ModelDirectory = Path.Combine(root.Path, "serve", Definition.ModelName);
        ExportStage.Run(zip, prepared, ModelDirectory);
        ServingDirectory.Write(ModelDirectory, Definition, ingest.DataPath, "1");
    }

    public PipelineDefinition Definition { get; }
    public string IngestedData { get; }
    public string ModelDirectory { get; }

    public void Dispose() => root.Dispose();
}

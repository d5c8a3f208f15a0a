using MLOps.Pipelines.ML.Catalog;
using MLOps.Pipelines.ML.Export;
using MLOps.Pipelines.ML.Stages;
using MLOps.Pipelines.ML.Training;
using Pipelines;

namespace MLOps.Pipelines.Serving.Tests;

/// <summary>
/// A real model directory: the Telco churn data ingested and prepared through the catalog's pipeline, a small LightGBM
/// model trained and exported to ONNX by the ML library's stages, golden.json written from it and a model.json naming
/// it <c>customer-churn</c> version 7. Built once per test class.
/// </summary>
public sealed class ChurnModelFixture : IDisposable
{
    public const string Name = "customer-churn";
    public const string Version = "7";

    public ChurnModelFixture()
    {
        Definition = PipelineCatalog.Get("CustomerChurn");
        var ingest = IngestStage.Run(RepositoryFiles.Data(Definition.RawFile), Definition.Schema, Path.Combine(Root, "ingested"));
        IngestedData = ingest.DataPath;
        Prepared = Path.Combine(Root, "prepared");
        PrepareStage.Run(ingest.DataPath, Definition.Features, Definition.Split(SplitKind.Random, 0.8, 42), Prepared);
        ModelZip = Path.Combine(Root, "model", TrainStage.ModelFile);
        TrainStage.Run(Prepared, Definition.Spec, new TrainingOptions(Trees: 30, Leaves: 15, Threads: 2), ModelZip);
        ModelDirectory = Path.Combine(Root, "serve", Name);
        WriteModelDirectory(ModelDirectory, Name);
    }

    readonly TemporaryDirectory _root = new("mlops-serving-");

    public string Root => _root.Path;
    public PipelineDefinition Definition { get; }
    public string IngestedData { get; }
    public string Prepared { get; }
    public string ModelZip { get; }
    public string ModelDirectory { get; }


    public PipelineFeatures Features => new(Definition.Schema, Definition.Features);

    /// <summary>Export (model.onnx + parity), then golden.json and model.json as Export writes them, into <paramref name="directory"/>.</summary>
    public void WriteModelDirectory(string directory, string name)
    {
        ExportStage.Run(ModelZip, Prepared, directory, maxRows: 2_000);
        ServingDirectory.Write(directory, Definition, IngestedData, Version);
        (ServingManifest.Read(directory) with { Name = name }).Write(directory);
    }

    /// <summary>A copy of the model directory under a new name, for tests that alter it.</summary>
    public string CopyModelDirectory(string name)
    {
        var target = Path.Combine(Root, "serve", name + "-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(target);
        foreach (var file in Directory.GetFiles(ModelDirectory)) File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        var manifest = ServingManifest.Read(target) with { Name = name };
        manifest.Write(target);
        return target;
    }

    public static PipelineFeatures? Resolve(ServingManifest manifest) =>
        PipelineCatalog.All.FirstOrDefault(d => d.Name == manifest.Pipeline) is { } p ? new PipelineFeatures(p.Schema, p.Features) : null;

    public void Dispose()
    {
        _root.Dispose();
    }
}

using MLOps.Pipelines.ML.Data;
using MLOps.Pipelines.ML.Export;
using MLOps.Pipelines.ML.Features;
using MLOps.Pipelines.ML.Stages;

namespace MLOps.Pipelines.ML.Artifacts;

/// <summary>
/// Every path a pipeline's stages write or read, from its artifacts folder (<c>artifacts/&lt;model&gt;/</c>) and its
/// registry file (<c>models/&lt;model&gt;/registry.json</c>): what a build declares as the inputs and outputs of each
/// target, so no file name is spelled in the build.
/// </summary>
public sealed class PipelineArtifacts(AbsolutePath root, AbsolutePath registryFile, string modelName)
{
    public AbsolutePath Root { get; } = root;

    /// <summary>The registry's name of the pipeline's model, e.g. <c>customer-churn</c>.</summary>
    public string ModelName { get; } = modelName;

    /// <summary>The registry's reviewable metadata: written by Register, read by Evaluate (the champion) and Report (lineage).</summary>
    public AbsolutePath RegistryFile { get; } = registryFile;

    public AbsolutePath Ingested => Root / "ingested";
    public AbsolutePath IngestedData => Ingested / IngestStage.DataFile;
    public AbsolutePath Quality => Ingested / IngestStage.QualityFile;
    public AbsolutePath Quarantine => Ingested / IngestStage.QuarantineFile;

    public AbsolutePath Prepared => Root / "prepared";
    public AbsolutePath TrainData => Prepared / PrepareStage.TrainFile;
    public AbsolutePath TestData => Prepared / PrepareStage.TestFile;
    public AbsolutePath PrepareSummary => Prepared / Artifacts.PrepareSummary.FileName;

    public AbsolutePath ModelDirectory => Root / "model";
    public AbsolutePath Model => ModelDirectory / TrainStage.ModelFile;

    public AbsolutePath Evaluation => Root / "evaluation";
    public AbsolutePath Metrics => Evaluation / MetricsReport.FileName;
    public AbsolutePath Gate => Evaluation / GateVerdict.FileName;
    public AbsolutePath MetricsDiff => Evaluation / MetricsDiffReport.FileName;

    public AbsolutePath Explanation => Root / "explain";
    public AbsolutePath Importance => Explanation / ImportanceReport.FileName;

    public AbsolutePath Exported => Root / "export";
    public AbsolutePath Onnx => Exported / ExportStage.OnnxFile;
    public AbsolutePath Parity => Exported / ParityReport.FileName;
    /// <summary>Golden records: raw rows and the exported model's offline predictions (the server's self-check, Deploy's gate).</summary>
    public AbsolutePath Golden => Exported / GoldenRecords.FileName;
    /// <summary>The serving manifest <c>model.json</c>: model name, version, pipeline, schema and feature identity.</summary>
    public AbsolutePath ServingManifest => Exported / Export.ServingManifest.FileName;

    public AbsolutePath Receipt => Root / RegistrationReceipt.FileName;

    /// <summary>Register's one-line summary of its registry change (<see cref="Artifacts.RegistryChange"/>), for the commit that carries it.</summary>
    public AbsolutePath RegistryChange => Root / Artifacts.RegistryChange.FileName;

    public AbsolutePath ReportDirectory => Root / "report";
    public AbsolutePath Report => ReportDirectory / ReportStage.ReportFile;

    public AbsolutePath Monitoring => Root / "monitor";

    public AbsolutePath MonitorFile => Monitoring / MonitorReport.FileName;
}

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

    public AbsolutePath Receipt => Root / RegistrationReceipt.FileName;

    public AbsolutePath ReportDirectory => Root / "report";
    public AbsolutePath Report => ReportDirectory / ReportStage.ReportFile;

    public AbsolutePath PackageDirectory => Root / "package";
    public AbsolutePath Package => PackageDirectory / $"{modelName}.zip";

    public AbsolutePath Monitoring => Root / "monitor";

    /// <summary>Where Deploy unpacks packages, one folder per environment (shared by all pipelines: <c>artifacts/deployments/</c>).</summary>
    public static AbsolutePath Deployments(AbsolutePath artifactsDirectory) => artifactsDirectory / "deployments";
    public AbsolutePath MonitorFile => Monitoring / MonitorReport.FileName;
}

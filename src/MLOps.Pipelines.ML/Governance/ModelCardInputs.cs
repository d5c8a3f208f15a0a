using MLOps.Pipelines.ML.Registry;

namespace MLOps.Pipelines.ML.Governance;

/// <summary>Where a model card's facts come from: the registry's version and the artifacts the stages wrote for it.</summary>
/// <param name="IntendedUse">What the model is for and what it must not be used for, from the pipeline's definition.</param>
/// <param name="IngestDirectory">Ingest's output: <c>quality.json</c>.</param>
/// <param name="EvaluationDirectory">Evaluate's output: <c>metrics.json</c> (with the fairness groups).</param>
/// <param name="ExplainDirectory">Explain's output: <c>importance.json</c>.</param>
/// <param name="MonitorReports">Monitor's reports about this version (monitor.json, drift reports, retrain.json); missing files are skipped.</param>
public sealed record ModelCardInputs(
    ModelRegistry Registry,
    int Version,
    string IntendedUse,
    string IngestDirectory,
    string EvaluationDirectory,
    string ExplainDirectory,
    IReadOnlyList<string>? MonitorReports = null);

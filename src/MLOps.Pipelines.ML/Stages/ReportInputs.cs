using System.Globalization;
using MLOps.Pipelines.ML.Registry;
using ReportChange = MLOps.Pipelines.ML.Reports.MetricChange;

namespace MLOps.Pipelines.ML.Stages;

/// <summary>Where the stages put what the report shows, and the registered version it is about.</summary>
public sealed record ReportInputs(
    string Title,
    IReadOnlyList<KeyValuePair<string, string>> Summary,
    string IngestDirectory,
    string EvaluationDirectory,
    string ExplainDirectory,
    ModelRegistry Registry,
    int ModelVersion);

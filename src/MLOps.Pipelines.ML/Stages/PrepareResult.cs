using System.Globalization;
using MLOps.Pipelines.ML.Features;

namespace MLOps.Pipelines.ML.Stages;

/// <summary>What Prepare wrote: paths inside the output directory and row counts.</summary>
public sealed record PrepareResult(
    string TrainPath,
    string TestPath,
    long TrainRows,
    long TestRows,
    long DroppedRows,
    IReadOnlyDictionary<string, long> Batches,
    FeatureSpec Spec);

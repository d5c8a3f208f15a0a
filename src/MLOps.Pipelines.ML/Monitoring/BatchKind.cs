namespace MLOps.Pipelines.ML.Monitoring;

/// <summary>What a batch file holds.</summary>
public enum BatchKind
{
    /// <summary>Rows in the raw schema (CSV or Parquet): checked against the contract, features computed.</summary>
    Raw,
    /// <summary>Prepare's output (batch-yyyy-MM.parquet): feature columns as they are.</summary>
    Prepared,
    /// <summary>A feature summaries file (<see cref="FeatureSummaryFile"/>), e.g. exported live by the model server.</summary>
    Summaries,
}

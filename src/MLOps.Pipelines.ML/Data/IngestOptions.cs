namespace MLOps.Pipelines.ML.Data;

/// <summary>Parameters of the Ingest stage.</summary>
public sealed record IngestOptions
{
    /// <summary>The stage fails when more than this share of the rows breaks the contract (0.01 = 1 %).</summary>
    public double MaxRejectedFraction { get; init; } = 0.01;

    /// <summary>How many of the most frequent categories the quality report lists per column.</summary>
    public int TopCategories { get; init; } = 20;

    /// <summary>Rows per chunk when reading CSV (Parquet is read by row group).</summary>
    public int CsvChunkRows { get; init; } = 1 << 16;

    /// <summary>Where to spill temporary files (duplicate counting); defaults to the staging directory.</summary>
    public string? TempDirectory { get; init; }
}

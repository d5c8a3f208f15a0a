namespace MLOps.Pipelines.Serving.Input;

/// <summary>
/// Rows a client sent, in the raw schema: one typed array per schema column (typed as the contract declares, null =
/// missing), all <see cref="RowCount"/> long.
/// </summary>
public sealed record RawBatch(IReadOnlyDictionary<string, Array> Columns, int RowCount);

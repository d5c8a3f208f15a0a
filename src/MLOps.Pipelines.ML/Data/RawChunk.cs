namespace MLOps.Pipelines.ML.Data;

/// <summary>
/// A chunk of a raw file read against a contract: the contract's columns typed as declared, the violations found while
/// reading (unparsable text, wrong field count), and the CSV line of each row when the source is CSV.
/// </summary>
internal sealed record RawChunk(TableChunk Table, IReadOnlyList<(int Row, ContractViolation Violation)> ReadViolations, long[]? Lines);

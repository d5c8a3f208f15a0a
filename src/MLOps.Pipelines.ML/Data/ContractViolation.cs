namespace MLOps.Pipelines.ML.Data;

/// <summary>One broken rule in one row: which column, which rule, the offending value (as text) and why.</summary>
public sealed record ContractViolation(string Column, string Rule, string? Value, string Message);

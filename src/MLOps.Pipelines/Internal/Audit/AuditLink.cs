namespace MLOps.Pipelines.Internal.Audit;

/// <summary>
/// The chain fields of one record: its <c>seq</c>, the <c>prev</c> hash and its own <c>hash</c> (null while the hash
/// itself is being computed, when the field is left out).
/// </summary>
internal sealed record AuditLink(long Seq, string Prev, string? Hash);

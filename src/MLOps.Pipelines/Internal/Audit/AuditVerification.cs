namespace MLOps.Pipelines.Internal.Audit;

/// <summary>
/// The outcome of checking an audit log. <see cref="FirstBroken"/> names the first record that fails (its seq as
/// found, or the line number when the line is not a record); a torn tail — bytes after the last newline left by an
/// append that was killed mid-write — is reported apart from tampering.
/// </summary>
internal sealed record AuditVerification(bool Intact, int Checked, string Message, string? FirstBroken = null, long TornTailBytes = 0);

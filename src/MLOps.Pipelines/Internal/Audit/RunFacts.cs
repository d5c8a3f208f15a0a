using MLOps.Pipelines.Internal.Execution;

namespace MLOps.Pipelines.Internal.Audit;

/// <summary>Everything one run's audit record is made of, gathered by <see cref="RunAudit"/>.</summary>
internal sealed record RunFacts(
    DateTimeOffset Started,
    TimeSpan Duration,
    string User,
    string Host,
    IReadOnlyDictionary<string, string> Ci,
    GitState? Git,
    IReadOnlyList<string> Arguments,
    IReadOnlyList<TargetResult> Results,
    IReadOnlyDictionary<string, LockEntry> LockEntries,
    IReadOnlyList<AuditParameter> Parameters,
    IReadOnlyList<AuditEvent> Events,
    int ExitCode);

/// <summary>A parameter as the record shows it; a secret's value is masked when written.</summary>
internal sealed record AuditParameter(string Name, string Value, string Source, bool Secret);

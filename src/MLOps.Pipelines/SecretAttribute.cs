namespace MLOps.Pipelines;

/// <summary>A parameter whose value is never printed, logged, written to the lock file or hashed.</summary>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property)]
public sealed class SecretAttribute : Attribute;

namespace MLOps.Pipelines.Internal.CI.JobState;

/// <summary>
/// One upstream job's lock entries as the downstream job found them: <paramref name="Text"/> is null when the file is
/// missing (the upstream job uploaded nothing, or its artifacts expired).
/// </summary>
/// <param name="Source">Where the fragment came from (a path), named in every error.</param>
internal sealed record LockFragment(string Source, string? Text);

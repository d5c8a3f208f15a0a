namespace MLOps.Pipelines.Containers.Publishing;

/// <summary>A server publish of <see cref="PublishedServerCache"/>: its folder, its content key, and whether this call published it (and how long that took).</summary>
public sealed record PublishedServer(string Directory, string Key, bool PublishedNow, TimeSpan Elapsed);

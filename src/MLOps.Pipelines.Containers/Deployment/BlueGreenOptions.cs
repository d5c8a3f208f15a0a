namespace MLOps.Pipelines.Containers.Deployment;

/// <summary>Settings of a blue/green deployment.</summary>
public sealed record BlueGreenOptions
{
    /// <summary>The port of the stable URL, http://127.0.0.1:PORT (<c>--serve-port</c>).</summary>
    public int StablePort { get; init; } = 8080;
    public TimeSpan ReadyTimeout { get; init; } = TimeSpan.FromSeconds(60);
    /// <summary>Who deploys, for the record; by default the CI user or the OS user.</summary>
    public string? Who { get; init; }
}

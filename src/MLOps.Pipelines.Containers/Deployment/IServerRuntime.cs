namespace MLOps.Pipelines.Containers.Deployment;

/// <summary>Somewhere a model server runs: starts a release on a loopback port, tells whether it still runs, stops it.</summary>
public interface IServerRuntime
{
    /// <summary><c>docker</c> or <c>process</c>: recorded with every server it starts.</summary>
    string Name { get; }

    Task<RunningServer> StartAsync(ServerRelease release, int port, CancellationToken cancellationToken);

    Task<bool> IsRunningAsync(RunningServer server, CancellationToken cancellationToken);

    /// <summary>Stops the server (gracefully, then by force) and forgets it; a server already gone is fine.</summary>
    Task StopAsync(RunningServer server, CancellationToken cancellationToken);
}

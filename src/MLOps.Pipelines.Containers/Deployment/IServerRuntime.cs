namespace MLOps.Pipelines.Containers.Deployment;

/// <summary>Somewhere a model server runs: starts a release on a loopback port, tells whether it still runs, stops it.</summary>
public interface IServerRuntime
{
    /// <summary><c>docker</c> or <c>process</c>: recorded with every server it starts.</summary>
    string Name { get; }

    /// <summary>Starts the release listening on <paramref name="port"/>.</summary>
    /// <param name="portWhenReady">
    /// A port the server listens on as well, only once ready, sharing it with a server already there (the stable port of
    /// a blue/green switch, <c>--urls-when-ready</c>); null for none.
    /// </param>
    Task<RunningServer> StartAsync(ServerRelease release, int port, int? portWhenReady, CancellationToken cancellationToken);

    Task<bool> IsRunningAsync(RunningServer server, CancellationToken cancellationToken);

    /// <summary>Stops the server (gracefully, then by force) and forgets it; a server already gone is fine.</summary>
    Task StopAsync(RunningServer server, CancellationToken cancellationToken);
}

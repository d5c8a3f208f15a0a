using System.Diagnostics;
using MLOps.Pipelines.Containers.Naming;

namespace MLOps.Pipelines.Containers.Deployment;

/// <summary>
/// Blue/green deployment on one machine. The new release starts beside the serving one on a spare loopback port; it
/// must become ready and pass the caller's golden check (predictions equal to the offline ones) there. Only then is the
/// stable port switched: the new release starts again on a port of its own and joins the stable port once ready,
/// sharing it with the old one (SO_REUSEPORT), which then drains and stops — no moment without a ready listener (a
/// downtime of 0, recorded). Where the old one cannot share the port (started by an older deployer, or by another
/// runtime, as another user), it stops first and the new one starts (a downtime of one server start, measured and
/// recorded). If the new one fails on the stable port, the old release is started there again. The stable URL never
/// serves a release that failed the gate; every attempt is recorded.
/// </summary>
public sealed class BlueGreenDeployer
{
    readonly IServerRuntime _runtime;
    readonly DeploymentStore _store;
    readonly BlueGreenOptions _options;
    readonly Dictionary<string, IServerRuntime> _runtimes;

    /// <param name="runtime">Where the new release runs.</param>
    /// <param name="otherRuntimes">Runtimes that may hold the release serving now (it may have been deployed with another).</param>
    public BlueGreenDeployer(IServerRuntime runtime, DeploymentStore store, BlueGreenOptions? options = null, IEnumerable<IServerRuntime>? otherRuntimes = null)
    {
        _runtime = runtime;
        _store = store;
        _options = options ?? new BlueGreenOptions();
        if (_options.StablePort is < 1 or > 65535) throw new ArgumentException($"--serve-port {_options.StablePort} is not a port (1–65535).", nameof(options));
        _runtimes = new Dictionary<string, IServerRuntime>(StringComparer.Ordinal) { [runtime.Name] = runtime };
        foreach (var other in otherRuntimes ?? []) _runtimes.TryAdd(other.Name, other);
    }

    public Uri StableUrl => new($"http://127.0.0.1:{_options.StablePort}");

    /// <summary>Puts <paramref name="release"/> in service in <paramref name="environment"/>, or fails leaving the previous one serving.</summary>
    /// <param name="goldenCheck">Called with the candidate's base URL; throws (any exception, its message the cause) when its predictions differ.</param>
    public Task<DeploymentResult> DeployAsync(ServerRelease release, string environment, Func<Uri, CancellationToken, Task> goldenCheck,
        CancellationToken cancellationToken = default) =>
        RunAsync(release, environment, goldenCheck, DeploymentRecord.DeployKind, cancellationToken);

    /// <summary>Redeploys the release served before the current one in <paramref name="environment"/> on this machine.</summary>
    public Task<DeploymentResult> RollbackAsync(string environment, Func<Uri, CancellationToken, Task> goldenCheck, CancellationToken cancellationToken = default)
    {
        var live = _store.Live(environment);
        var served = _store.ServedReleases(environment);
        var current = live?.Release ?? served.LastOrDefault();
        var previous = served.LastOrDefault(r => current is null || r.ModelVersion != current.ModelVersion)
            ?? throw new DeploymentException($"no earlier release of {_store.ModelName} was served in '{environment}' on this machine; nothing to roll back to");
        return RunAsync(previous, environment, goldenCheck, DeploymentRecord.RollbackKind, cancellationToken);
    }

    async Task<DeploymentResult> RunAsync(ServerRelease release, string environment, Func<Uri, CancellationToken, Task> goldenCheck, string kind,
        CancellationToken cancellationToken)
    {
        DeploymentNames.Environment(environment);
        DeploymentNames.ModelName(release.ModelName, "the release's model");
        DeploymentNames.Version(release.ModelVersion, "the release's version");
        if (release.ModelName != _store.ModelName)
            throw new DeploymentException($"the release is of model '{release.ModelName}' but this deployment is of '{_store.ModelName}'; package the pipeline's own model");
        using var exclusive = await _store.LockAsync(environment, _options.ReadyTimeout * 3, cancellationToken);
        return await SwitchAsync(release, environment, goldenCheck, kind, cancellationToken);
    }

    async Task<DeploymentResult> SwitchAsync(ServerRelease release, string environment, Func<Uri, CancellationToken, Task> goldenCheck, string kind,
        CancellationToken cancellationToken)
    {

        var live = _store.Live(environment);
        if (live is not null && !await RuntimeOf(live).IsRunningAsync(live, cancellationToken)) live = null;
        await StopLeftoversAsync(environment, live);
        if (live is null && LoopbackPorts.IsListening(_options.StablePort))
            throw Fail(release, environment, kind, $"port {_options.StablePort} is taken by a program this deployment did not start; stop it or choose another --serve-port", null, null);

        // 1. the candidate beside the serving release, on a spare port: ready, then the golden check
        (RunningServer Server, TimeSpan Ready) candidate;
        try
        {
            candidate = await StartReadyAsync(release, LoopbackPorts.Free(), environment, kind, "the candidate", cancellationToken);
        }
        catch (DeploymentException e)
        {
            throw Fail(release, environment, kind, e.Message, null, null, live);
        }
        var readySeconds = candidate.Ready.TotalSeconds;
        try
        {
            await goldenCheck(candidate.Server.Url, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await StopAsync(_runtime, candidate.Server, environment);
            throw Fail(release, environment, kind, $"the golden check failed on {release}: {OneLine(e.Message)}", readySeconds, null, live);
        }
        await StopAsync(_runtime, candidate.Server, environment);

        // 2. the switch. The new release gets a port of its own and joins the stable port once ready, sharing it. When the
        // serving release shares the stable port in the same runtime (the kernel shares a port between sockets of one
        // user only), it serves until the new one has joined, then drains and stops: the port never lacks a ready
        // listener. Otherwise (the first deploy, a server an older deployer started, another runtime) it stops first.
        if (live is not null && SharesStablePort(live))
        {
            RunningServer? joined = null;
            try
            {
                joined = (await StartReadyAsync(release, LoopbackPorts.Free(), environment, kind, "the new release joining the stable port", cancellationToken, joinStablePort: true)).Server;
            }
            catch (DeploymentException e)
            {
                Console.Error.WriteLine($"deploy: {OneLine(e.Message)}; switching by stop-and-start instead");
            }
            if (joined is not null)
            {
                await RuntimeOf(live).StopAsync(live, CancellationToken.None);
                // Deploy returns once the stable URL itself answered ready, from the new release alone.
                try
                {
                    await ReadinessProbe.WaitAsync(StableUrl, () => _runtime.IsRunningAsync(joined, CancellationToken.None), _options.ReadyTimeout, cancellationToken);
                }
                catch (DeploymentException e)
                {
                    await StopAsync(_runtime, joined, environment);
                    throw Fail(release, environment, kind, $"the stable URL did not answer after the switch: {OneLine(e.Message)}; {await PutBackAsync(live, environment)}", readySeconds, null);
                }
                return Succeed(release, environment, kind, joined, readySeconds, downtime: 0);
            }
        }

        var downtime = Stopwatch.StartNew();
        if (live is not null) await RuntimeOf(live).StopAsync(live, CancellationToken.None);
        RunningServer serving;
        try
        {
            serving = (await StartReadyAsync(release, LoopbackPorts.Free(), environment, kind, "the new release on the stable port", cancellationToken, joinStablePort: true)).Server;
        }
        catch (DeploymentException e)
        {
            throw Fail(release, environment, kind, $"{e.Message}; {await PutBackAsync(live, environment)}", readySeconds, downtime.Elapsed.TotalSeconds);
        }
        return Succeed(release, environment, kind, serving, readySeconds, downtime.Elapsed.TotalSeconds);
    }

    DeploymentResult Succeed(ServerRelease release, string environment, string kind, RunningServer serving, double readySeconds, double downtime)
    {
        _store.SetLive(environment, serving);
        _store.RemoveStarted(environment, serving);
        _store.AddServed(environment, release);
        var record = Record(release, environment, kind, DeploymentRecord.Succeeded, null, readySeconds, downtime);
        _store.Append(record);
        return new DeploymentResult(StableUrl, serving, record);
    }

    /// <summary>True when <paramref name="live"/> shares the stable port and runs where the new release will (same user).</summary>
    bool SharesStablePort(RunningServer live) => live.SharedPort == _options.StablePort && live.Runtime == _runtime.Name;

    /// <param name="joinStablePort">Also listen on the stable port once ready (shared); ready then means joined as well.</param>
    async Task<(RunningServer Server, TimeSpan Ready)> StartReadyAsync(ServerRelease release, int port, string environment, string kind, string what,
        CancellationToken cancellationToken, bool joinStablePort = false)
    {
        RunningServer server;
        try
        {
            server = await _runtime.StartAsync(release, port, joinStablePort ? _options.StablePort : null, cancellationToken);
            _store.AddStarted(environment, server);
        }
        catch (Exception e) when (e is not OperationCanceledException and not DeploymentException)
        {
            throw new DeploymentException($"{what} ({release}) could not be started by the {_runtime.Name} runtime: {OneLine(e.Message)}");
        }
        try
        {
            var ready = await ReadinessProbe.WaitAsync(server.Url, () => _runtime.IsRunningAsync(server, CancellationToken.None), _options.ReadyTimeout, cancellationToken);
            return (server, ready);
        }
        catch (Exception e)
        {
            await StopAsync(_runtime, server, environment);
            if (e is DeploymentException) throw new DeploymentException($"{what} ({release}) did not become ready: {e.Message}");
            throw;
        }
    }

    /// <summary>After a failed switch: the previous release (if any) serving the stable port again, recorded as live; says which.</summary>
    async Task<string> PutBackAsync(RunningServer? previous, string environment)
    {
        var restored = previous is null ? null : await RestoreAsync(previous, environment);
        _store.SetLive(environment, restored);
        if (restored is not null) _store.RemoveStarted(environment, restored);
        return restored is null ? "nothing serves the stable URL" : $"{previous!.Release} serves again";
    }

    async Task<RunningServer?> RestoreAsync(RunningServer previous, string environment)
    {
        var runtime = RuntimeOf(previous);
        try
        {
            var restarted = await runtime.StartAsync(previous.Release, LoopbackPorts.Free(), _options.StablePort, CancellationToken.None);
            _store.AddStarted(environment, restarted);
            await ReadinessProbe.WaitAsync(restarted.Url, () => runtime.IsRunningAsync(restarted, CancellationToken.None), _options.ReadyTimeout, CancellationToken.None);
            return restarted;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Console.Error.WriteLine($"deploy: could not put {previous.Release} back on the stable port in '{environment}': {OneLine(e.Message)}");
            return null;
        }
    }

    async Task StopAsync(IServerRuntime runtime, RunningServer server, string environment)
    {
        await runtime.StopAsync(server, CancellationToken.None);
        _store.RemoveStarted(environment, server);
    }

    /// <summary>Stops what an earlier deployment started and never made live nor stopped (it was killed mid-way).</summary>
    async Task StopLeftoversAsync(string environment, RunningServer? live)
    {
        foreach (var leftover in _store.Started(environment))
        {
            if (live is not null && leftover.Runtime == live.Runtime && leftover.Id == live.Id) { _store.RemoveStarted(environment, leftover); continue; }
            if (_runtimes.TryGetValue(leftover.Runtime, out var runtime)) await runtime.StopAsync(leftover, CancellationToken.None);
            else Console.Error.WriteLine($"deploy: {leftover.Release} ({leftover.Runtime} {leftover.Id}) was left by an interrupted deployment; stop it by hand");
            _store.RemoveStarted(environment, leftover);
        }
    }

    IServerRuntime RuntimeOf(RunningServer server) =>
        _runtimes.TryGetValue(server.Runtime, out var runtime) ? runtime
        : throw new DeploymentException($"{server.Release} serves through the '{server.Runtime}' runtime, which this deployment was not given; stop it first");

    DeploymentException Fail(ServerRelease release, string environment, string kind, string cause, double? ready, double? downtime, RunningServer? stillServing = null)
    {
        _store.Append(Record(release, environment, kind, DeploymentRecord.Failed, cause, ready, downtime));
        var serving = stillServing is null ? "" : $"; {stillServing.Release} keeps serving {StableUrl}";
        return new DeploymentException($"Deploy of {release} to '{environment}' failed: {cause}{serving}");
    }

    DeploymentRecord Record(ServerRelease release, string environment, string kind, string outcome, string? cause, double? ready, double? downtime) =>
        new(environment, release.ModelName, release.ModelVersion, release.ImageDigest, _runtime.Name, StableUrl.ToString(), kind, outcome, cause,
            DateTimeOffset.UtcNow, _options.Who ?? DefaultWho(), ready is null ? null : Math.Round(ready.Value, 3), downtime is null ? null : Math.Round(downtime.Value, 3));

    static string DefaultWho() =>
        System.Environment.GetEnvironmentVariable("GITHUB_ACTOR") ?? System.Environment.GetEnvironmentVariable("GITLAB_USER_LOGIN")
        ?? System.Environment.UserName;

    static string OneLine(string message) => message.ReplaceLineEndings(" ").Trim();
}

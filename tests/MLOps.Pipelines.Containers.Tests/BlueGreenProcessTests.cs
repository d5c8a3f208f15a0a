using System.Net;
using System.Net.Sockets;
using MLOps.Pipelines.Containers.Deployment;

namespace MLOps.Pipelines.Containers.Tests;

/// <summary>Blue/green deployment with the process runtime: the published stand-in server started as local processes.</summary>
[Collection(ContainersCollection.Name)]
public sealed class BlueGreenProcessTests(TestServerFixture server)
{
    ServerRelease Release(int version, double score, bool ready = true) => new("test-model", version)
    {
        HostExecutable = Path.Combine(server.Published, TestServerFixture.HostName),
        ModelDirectory = server.ModelFolder(version, score, ready),
    };

    (BlueGreenDeployer Deployer, DeploymentStore Store, ProcessRuntime Runtime) Deployer(int stablePort)
    {
        var root = Path.Combine(server.Work, "bg-" + Guid.NewGuid().ToString("N"));
        var store = new DeploymentStore(Path.Combine(root, "models", "test-model"), Path.Combine(root, "state"));
        var runtime = new ProcessRuntime(Path.Combine(root, "logs"));
        return (new BlueGreenDeployer(runtime, store, new BlueGreenOptions { StablePort = stablePort, ReadyTimeout = TimeSpan.FromSeconds(60) }), store, runtime);
    }

    [Fact]
    public async Task The_process_runtime_starts_the_server_in_its_own_process_group_and_stops_it_by_pid()
    {
        var runtime = new ProcessRuntime(Path.Combine(server.Work, "process-logs"));
        var running = await runtime.StartAsync(Release(1, 0.5), LoopbackPorts.Free(), null, CancellationToken.None);
        try
        {
            await ReadinessProbe.WaitAsync(running.Url, () => runtime.IsRunningAsync(running, default), TimeSpan.FromSeconds(60), default);
            (await GoldenChecks.PredictAsync(running.Url)).ShouldBe((1, 0.5));
            var pid = int.Parse(running.Id, System.Globalization.CultureInfo.InvariantCulture);
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            fields[2].ShouldBe(running.Id, "process group = its own PID");
            fields[3].ShouldBe(running.Id, "session = its own PID");
            (await GoldenChecks.IdentityAsync(running.Url)).GetProperty("ort_telemetry_disabled").GetString().ShouldBe("1");
        }
        finally
        {
            await runtime.StopAsync(running, default);
        }
        (await runtime.IsRunningAsync(running, default)).ShouldBeFalse();
        LoopbackPorts.IsListening(running.Port).ShouldBeFalse();
    }

    [Fact]
    public async Task A_new_version_replaces_the_old_only_after_its_gate_and_failures_leave_the_old_serving_until_rollback()
    {
        var stable = LoopbackPorts.Free();
        var (deployer, store, runtime) = Deployer(stable);
        var url = new Uri($"http://127.0.0.1:{stable}");
        try
        {
            var first = await deployer.DeployAsync(Release(1, 0.1), "staging", GoldenChecks.Expect(0.1));
            first.Url.ShouldBe(url);
            (await GoldenChecks.PredictAsync(url)).ShouldBe((1, 0.1));

            var second = await deployer.DeployAsync(Release(2, 0.2), "staging", GoldenChecks.Expect(0.2));
            (await GoldenChecks.PredictAsync(url)).ShouldBe((2, 0.2));
            (await runtime.IsRunningAsync(first.Server, default)).ShouldBeFalse("the old version is stopped after the switch");
            second.Record.SwitchDowntimeSeconds.ShouldNotBeNull();

            // predictions differ from the offline ones: refused, v2 keeps answering
            var wrong = await Should.ThrowAsync<DeploymentException>(() => deployer.DeployAsync(Release(3, 0.9), "staging", GoldenChecks.Expect(0.3)));
            wrong.Message.ShouldContain("golden check");
            wrong.Message.ShouldContain("test-model v2 keeps serving");
            wrong.Message.ShouldNotContain("\n");
            (await GoldenChecks.PredictAsync(url)).ShouldBe((2, 0.2));

            // never ready: refused, v2 keeps answering
            var broken = await Should.ThrowAsync<DeploymentException>(() =>
                new BlueGreenDeployer(runtime, store, new BlueGreenOptions { StablePort = stable, ReadyTimeout = TimeSpan.FromSeconds(3) })
                    .DeployAsync(Release(4, 0.4, ready: false), "staging", GoldenChecks.Expect(0.4)));
            broken.Message.ShouldContain("did not become ready");
            (await GoldenChecks.PredictAsync(url)).ShouldBe((2, 0.2));
            store.Live("staging")!.Release.ModelVersion.ShouldBe(2);

            var rollback = await deployer.RollbackAsync("staging", GoldenChecks.Expect(0.1));
            rollback.Record.Kind.ShouldBe(DeploymentRecord.RollbackKind);
            (await GoldenChecks.PredictAsync(url)).ShouldBe((1, 0.1));

            var records = store.Records("staging");
            records.Select(r => (r.Version, r.Outcome, r.Kind)).ShouldBe([
                (1, "succeeded", "deploy"), (2, "succeeded", "deploy"), (3, "failed", "deploy"), (4, "failed", "deploy"), (1, "succeeded", "rollback")]);
            records.ShouldAllBe(r => r.Environment == "staging" && r.Model == "test-model" && r.Who.Length > 0 && r.Runtime == "process");
            File.Exists(Path.Combine(store.RegistryDirectory, "deployments", "staging.json")).ShouldBeTrue();
        }
        finally
        {
            if (store.Live("staging") is { } live) await runtime.StopAsync(live, default);
        }
    }

    [Fact]
    public async Task The_new_release_joins_the_stable_port_before_the_old_one_stops_so_no_connection_is_refused()
    {
        var stable = LoopbackPorts.Free();
        var (deployer, store, runtime) = Deployer(stable);
        var url = new Uri($"http://127.0.0.1:{stable}/predict");
        try
        {
            var first = await deployer.DeployAsync(Release(1, 0.1), "local", GoldenChecks.Expect(0.1));
            first.Server.SharedPort.ShouldBe(stable);
            first.Server.Port.ShouldNotBe(stable, "each server has a port of its own; the stable one is shared");

            // A new connection per probe, as many clients make: one refused means the stable port had no listener.
            using var probe = new CancellationTokenSource();
            using var http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.Zero }) { Timeout = TimeSpan.FromSeconds(5) };
            var (probes, refused, failed, reset) = (0, 0, new List<string>(), new List<string>());
            var versions = new HashSet<string>();
            var prober = Task.Run(async () =>
            {
                while (!probe.IsCancellationRequested)
                {
                    probes++;
                    try
                    {
                        var body = await http.GetStringAsync(url);
                        versions.Add(body[..body.IndexOf(',', StringComparison.Ordinal)]);
                    }
                    catch (HttpRequestException e) when (e.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionRefused })
                    {
                        refused++;
                    }
                    catch (HttpRequestException e) when (e.StatusCode is null && e.InnerException is IOException)
                    {
                        reset.Add(e.Message);
                    }
                    catch (HttpRequestException e)
                    {
                        failed.Add(e.Message);
                    }
                }
            });

            var second = await deployer.DeployAsync(Release(2, 0.2), "local", GoldenChecks.Expect(0.2));
            var third = await deployer.RollbackAsync("local", GoldenChecks.Expect(0.1));
            await probe.CancelAsync();
            await prober;

            refused.ShouldBe(0, $"{probes} probes");
            failed.ShouldBeEmpty($"{probes} probes");
            // A connection the kernel queued on the old listener in the instant it closes is reset (docs/containers.md,
            // net.ipv4.tcp_migrate_req): at most one per switch, never a refusal.
            reset.Count.ShouldBeLessThanOrEqualTo(2, $"{probes} probes: {string.Join("; ", reset)}");
            versions.ShouldBe(["{\"version\":1", "{\"version\":2"], ignoreOrder: true);
            second.Record.SwitchDowntimeSeconds.ShouldBe(0);
            third.Record.SwitchDowntimeSeconds.ShouldBe(0);
            (await runtime.IsRunningAsync(first.Server, default)).ShouldBeFalse();
            (await runtime.IsRunningAsync(second.Server, default)).ShouldBeFalse();
            (await GoldenChecks.PredictAsync(new Uri($"http://127.0.0.1:{stable}"))).ShouldBe((1, 0.1));
        }
        finally
        {
            if (store.Live("local") is { } live) await runtime.StopAsync(live, default);
        }
    }

    [Fact]
    public async Task A_release_serving_without_a_shared_port_is_replaced_by_stop_and_start_and_the_next_switch_joins()
    {
        var stable = LoopbackPorts.Free();
        var (deployer, store, runtime) = Deployer(stable);
        try
        {
            // What a deployer before shared ports left: v1 on the stable port itself, not sharing it.
            var old = await runtime.StartAsync(Release(1, 0.1), stable, null, default);
            await ReadinessProbe.WaitAsync(old.Url, () => runtime.IsRunningAsync(old, default), TimeSpan.FromSeconds(60), default);
            store.SetLive("local", old);

            var second = await deployer.DeployAsync(Release(2, 0.2), "local", GoldenChecks.Expect(0.2));
            second.Record.SwitchDowntimeSeconds!.Value.ShouldBeGreaterThan(0, "v1 could not share: stopped first");
            (await runtime.IsRunningAsync(old, default)).ShouldBeFalse();
            var third = await deployer.DeployAsync(Release(3, 0.3), "local", GoldenChecks.Expect(0.3));
            third.Record.SwitchDowntimeSeconds.ShouldBe(0, "v2 shares the stable port: v3 joined it");
            (await GoldenChecks.PredictAsync(new Uri($"http://127.0.0.1:{stable}"))).ShouldBe((3, 0.3));
        }
        finally
        {
            if (store.Live("local") is { } live) await runtime.StopAsync(live, default);
        }
    }

    [Fact]
    public async Task Two_deployments_to_one_environment_at_once_run_one_after_the_other()
    {
        var stable = LoopbackPorts.Free();
        var (deployer, store, runtime) = Deployer(stable);
        try
        {
            var both = await Task.WhenAll(
                deployer.DeployAsync(Release(1, 0.1), "local", GoldenChecks.Expect(0.1)),
                deployer.DeployAsync(Release(2, 0.2), "local", GoldenChecks.Expect(0.2)));
            var last = both.MaxBy(r => r.Record.Time)!;
            (await GoldenChecks.PredictAsync(new Uri($"http://127.0.0.1:{stable}"))).Version.ShouldBe(last.Record.Version);
            store.Records("local").ShouldAllBe(r => r.Outcome == DeploymentRecord.Succeeded);
            (await runtime.IsRunningAsync(both.MinBy(r => r.Record.Time)!.Server, default)).ShouldBeFalse("the first is replaced, not left running");
        }
        finally
        {
            if (store.Live("local") is { } live) await runtime.StopAsync(live, default);
        }
    }

    [Fact]
    public async Task A_stable_port_held_by_another_program_fails_the_deploy_with_one_line_naming_the_port()
    {
        using var foreign = new TcpListener(IPAddress.Loopback, 0);
        foreign.Start();
        var port = ((IPEndPoint)foreign.LocalEndpoint).Port;
        var (deployer, store, _) = Deployer(port);

        var error = await Should.ThrowAsync<DeploymentException>(() => deployer.DeployAsync(Release(1, 0.1), "local", GoldenChecks.Expect(0.1)));
        error.Message.ShouldContain($"port {port} is taken");
        store.Records("local").Single().Outcome.ShouldBe(DeploymentRecord.Failed);
    }

    [Fact]
    public async Task A_release_of_another_model_is_refused()
    {
        var (deployer, _, _) = Deployer(LoopbackPorts.Free());
        var release = Release(1, 0.1) with { ModelName = "other-model" };
        var error = await Should.ThrowAsync<DeploymentException>(() => deployer.DeployAsync(release, "local", GoldenChecks.Expect(0.1)));
        error.Message.ShouldContain("'other-model'");
    }

    [Fact]
    public async Task Rollback_without_an_earlier_release_says_so()
    {
        var (deployer, _, _) = Deployer(LoopbackPorts.Free());
        var error = await Should.ThrowAsync<DeploymentException>(() => deployer.RollbackAsync("local", GoldenChecks.Expect(0.1)));
        error.Message.ShouldContain("nothing to roll back to");
    }
}

using MLOps.Pipelines.Containers.Deployment;
using MLOps.Pipelines.Containers.Oci;
using MLOps.Pipelines.Containers.Packaging;

namespace MLOps.Pipelines.Containers.Tests;

/// <summary>The image on the Docker engine .ci/run starts (Docker 20.10, host network, nothing pulled), through Docker.DotNet.</summary>
[Collection(ContainersCollection.Name)]
public sealed class DockerRuntimeTests(TestServerFixture server)
{
    ServerRelease Release(int version, double score, bool ready = true)
    {
        using var baseImage = OciLayout.Read(server.BaseLayout);
        var dir = Path.Combine(server.Work, "docker", $"v{version}-{Guid.NewGuid():N}");
        var image = ServerImage.Build(baseImage, new ServerImageRequest(server.Published, TestServerFixture.HostName, server.ModelFolder(version, score, ready),
            "test-model", version, Path.Combine(dir, "layout"), Path.Combine(dir, "image.tar")), server.Layers);
        return new ServerRelease("test-model", version) { ImageDigest = image.Digest, ImageId = image.ConfigDigest, DockerArchive = image.DockerArchive };
    }

    [DockerFact]
    public async Task The_docker_archive_loads_and_the_server_inside_answers_over_the_host_network_as_a_non_root_user()
    {
        using var runtime = new DockerRuntime();
        var release = Release(1, 0.5);
        var running = await runtime.StartAsync(release, LoopbackPorts.Free(), null, default);
        try
        {
            await ReadinessProbe.WaitAsync(running.Url, () => runtime.IsRunningAsync(running, default), TimeSpan.FromSeconds(60), default);
            (await GoldenChecks.PredictAsync(running.Url)).ShouldBe((1, 0.5));
            var identity = await GoldenChecks.IdentityAsync(running.Url);
            identity.GetProperty("uid").GetString().ShouldBe("1654");
            identity.GetProperty("ort_telemetry_disabled").GetString().ShouldBe("1");
            identity.GetProperty("ort_version").GetString()!.ShouldStartWith("1.");
            identity.GetProperty("model_dir").GetString().ShouldBe("/model");
        }
        finally
        {
            await runtime.StopAsync(running, default);
        }
        (await runtime.IsRunningAsync(running, default)).ShouldBeFalse();
    }

    [DockerFact]
    public async Task A_missing_image_without_an_archive_is_an_error_not_a_pull()
    {
        using var runtime = new DockerRuntime();
        var release = new ServerRelease("test-model", 9) { ImageId = "sha256:" + new string('0', 64) };
        var error = await Should.ThrowAsync<DeploymentException>(() => runtime.StartAsync(release, LoopbackPorts.Free(), null, default));
        error.Message.ShouldContain("no docker-archive");
    }

    [DockerFact]
    public async Task Blue_green_on_docker_switches_to_a_good_image_and_keeps_it_when_the_next_fails_its_gate()
    {
        var root = Path.Combine(server.Work, "docker-bg-" + Guid.NewGuid().ToString("N"));
        var store = new DeploymentStore(Path.Combine(root, "models", "test-model"), Path.Combine(root, "state"));
        using var runtime = new DockerRuntime();
        var stable = LoopbackPorts.Free();
        var deployer = new BlueGreenDeployer(runtime, store, new BlueGreenOptions { StablePort = stable });
        var url = new Uri($"http://127.0.0.1:{stable}");
        try
        {
            var v1 = Release(1, 0.1);
            (await deployer.DeployAsync(v1, "staging", GoldenChecks.Expect(0.1))).Record.ImageDigest.ShouldBe(v1.ImageDigest);
            (await GoldenChecks.PredictAsync(url)).ShouldBe((1, 0.1));
            var second = await deployer.DeployAsync(Release(2, 0.2), "staging", GoldenChecks.Expect(0.2));
            (await GoldenChecks.PredictAsync(url)).ShouldBe((2, 0.2));
            // Containers of one image run as one user on the host network: v2 joined the stable port beside v1.
            second.Record.SwitchDowntimeSeconds.ShouldBe(0);
            second.Server.SharedPort.ShouldBe(stable);

            var error = await Should.ThrowAsync<DeploymentException>(() => deployer.DeployAsync(Release(3, 0.7), "staging", GoldenChecks.Expect(0.3)));
            error.Message.ShouldContain("golden check");
            (await GoldenChecks.PredictAsync(url)).ShouldBe((2, 0.2));
            store.Records("staging").Select(r => r.Outcome).ShouldBe(["succeeded", "succeeded", "failed"]);
        }
        finally
        {
            if (store.Live("staging") is { } live) await runtime.StopAsync(live, default);
        }
    }
}

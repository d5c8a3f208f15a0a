using System.Net;
using Docker.DotNet;
using Docker.DotNet.Models;

namespace MLOps.Pipelines.Containers.Deployment;

/// <summary>
/// Runs the server image on a Docker engine (found through <c>DOCKER_HOST</c> or the default socket) with the host
/// network, so the server listens on the host's loopback. Never pulls: an image the engine lacks is loaded from the
/// release's docker-archive, and a missing image is an error.
/// </summary>
public sealed class DockerRuntime : IServerRuntime, IDisposable
{
    readonly IDockerClient _client;

    public DockerRuntime(IDockerClient? client = null) => _client = client ?? new DockerClientBuilder().Build();

    public string Name => "docker";

    public void Dispose() => _client.Dispose();

    /// <summary>True when an engine answers <c>/_ping</c> within <paramref name="timeout"/>.</summary>
    public static async Task<bool> EngineAnswersAsync(TimeSpan timeout)
    {
        try
        {
            using var client = new DockerClientBuilder().Build();
            using var cancel = new CancellationTokenSource(timeout);
            await client.System.PingAsync(cancel.Token);
            return true;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return false;
        }
    }

    /// <summary>Loads the release's image into the engine unless it is there already; returns the image ID.</summary>
    public async Task<string> EnsureImageAsync(ServerRelease release, CancellationToken cancellationToken)
    {
        var id = release.ImageId ?? throw new DeploymentException($"{release} has no image ID for the docker runtime; run Package first");
        if (await HasImageAsync(id, cancellationToken)) return id;
        var archive = release.DockerArchive ?? throw new DeploymentException($"the engine lacks image {id} of {release} and no docker-archive was given to load it from");
        if (!File.Exists(archive)) throw new DeploymentException($"{archive} does not exist: run Package to write the image of {release}");
        await using (var stream = File.OpenRead(archive))
            await _client.Images.LoadImageAsync(new ImageLoadParameters { Quiet = true }, stream, new Progress<JSONMessage>(), cancellationToken);
        if (!await HasImageAsync(id, cancellationToken))
            throw new DeploymentException($"loading {archive} did not give the engine image {id}; the archive and the release disagree");
        return id;
    }

    async Task<bool> HasImageAsync(string id, CancellationToken cancellationToken)
    {
        try
        {
            await _client.Images.InspectImageAsync(id, cancellationToken);
            return true;
        }
        catch (DockerApiException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    public async Task<RunningServer> StartAsync(ServerRelease release, int port, int? portWhenReady, CancellationToken cancellationToken)
    {
        var image = await EnsureImageAsync(release, cancellationToken);
        var name = $"mlops-{release.ModelName}-v{release.ModelVersion}-{port}-{Guid.NewGuid().ToString("N")[..8]}";
        var created = await _client.Containers.CreateContainerAsync(new CreateContainerParameters
        {
            Image = image,
            Name = name,
            Cmd = ["--model-dir", release.ModelDirectoryInImage, "--urls", $"http://127.0.0.1:{port}", .. ProcessRuntime.WhenReadyArguments(portWhenReady)],
            Labels = new Dictionary<string, string>
            {
                ["org.mlops-pipelines.model"] = release.ModelName,
                ["org.mlops-pipelines.version"] = release.ModelVersion.ToString(System.Globalization.CultureInfo.InvariantCulture),
            },
            HostConfig = new HostConfig { NetworkMode = "host" },
        }, cancellationToken);
        try
        {
            await _client.Containers.StartContainerAsync(created.ID, new ContainerStartParameters(), cancellationToken);
        }
        catch
        {
            await _client.Containers.RemoveContainerAsync(created.ID, new ContainerRemoveParameters { Force = true }, CancellationToken.None);
            throw;
        }
        return new RunningServer(Name, created.ID, port, release) { SharedPort = portWhenReady };
    }

    public async Task<bool> IsRunningAsync(RunningServer server, CancellationToken cancellationToken)
    {
        try
        {
            var inspected = await _client.Containers.InspectContainerAsync(server.Id, cancellationToken);
            return inspected.State?.Running == true;
        }
        catch (DockerApiException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    public async Task StopAsync(RunningServer server, CancellationToken cancellationToken)
    {
        try
        {
            await _client.Containers.StopContainerAsync(server.Id, new ContainerStopParameters { WaitBeforeKillSeconds = 10 }, cancellationToken);
            await _client.Containers.RemoveContainerAsync(server.Id, new ContainerRemoveParameters { Force = true }, cancellationToken);
        }
        catch (DockerApiException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
        }
    }
}

namespace MLOps.Pipelines.Containers.Packaging;

/// <summary>
/// What goes into a model server image: the published server folder and its executable's file name, the model folder,
/// the model's registry name and version, and where to write the OCI layout and the docker-archive.
/// </summary>
public sealed record ServerImageRequest(
    string PublishedServerDirectory,
    string HostExecutableName,
    string ModelDirectory,
    string ModelName,
    int ModelVersion,
    string LayoutDirectory,
    string DockerArchive)
{
    /// <summary>The port in the default command and the config's exposed ports; a deployment passes its own <c>--urls</c>.</summary>
    public int Port { get; init; } = 8080;
    /// <summary>Extra labels (e.g. the model's SHA-256 or the git commit).</summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();
}

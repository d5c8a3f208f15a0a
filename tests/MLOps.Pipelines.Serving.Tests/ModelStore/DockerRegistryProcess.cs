namespace MLOps.Pipelines.Serving.Tests.ModelStore;

/// <summary>
/// Debian's <c>docker-registry</c> started for these tests with its own storage folder (an <see cref="OciRegistryServer"/>
/// that does not share the CI registry), so a test can damage a stored blob on disk. Missing binary: the tests skip,
/// except under CI=true, where .ci/run installs it and they fail.
/// </summary>
public sealed class DockerRegistryProcess : IDisposable
{
    readonly OciRegistryServer? _server = File.Exists(OciRegistryServer.Binary) ? new OciRegistryServer(shareCiRegistry: false) : null;

    /// <summary>host:port, after skipping the test where the registry cannot run (outside CI).</summary>
    public string Address
    {
        get
        {
            if (_server is null)
            {
                if (ExternalTool.InCi) throw new InvalidOperationException($"{OciRegistryServer.Binary} is not installed; .ci/run installs Debian's docker-registry.");
                Skip.If(true, "docker-registry is not installed (apt-get install docker-registry); CI installs it.");
            }
            return _server!.Address;
        }
    }

    /// <summary>The file the registry keeps a blob in (distribution's filesystem layout).</summary>
    public string BlobFile(string hex) => _server?.BlobFile(hex) ?? throw new InvalidOperationException("docker-registry is not running");

    public void Dispose() => _server?.Dispose();
}

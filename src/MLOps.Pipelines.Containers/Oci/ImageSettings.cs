namespace MLOps.Pipelines.Containers.Oci;

/// <summary>
/// What an image sets on top of its base: the user it runs as, its command, environment, exposed ports and labels.
/// Environment variables and labels override the base's of the same name.
/// </summary>
public sealed record ImageSettings
{
    /// <summary>The user the server runs as (a uid, or uid:gid); never root.</summary>
    public string User { get; init; } = "1654:1654";
    public IReadOnlyList<string> Entrypoint { get; init; } = [];
    public IReadOnlyList<string> Cmd { get; init; } = [];
    public string WorkingDir { get; init; } = "/";
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();
    public IReadOnlyList<int> ExposedPorts { get; init; } = [];
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();
}

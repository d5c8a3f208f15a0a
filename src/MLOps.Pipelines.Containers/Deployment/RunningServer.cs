using System.Text.Json.Serialization;

namespace MLOps.Pipelines.Containers.Deployment;

/// <summary>
/// A server some runtime started: the runtime's name, its handle (a process ID or a container ID), the loopback port
/// it listens on (its own; see <see cref="SharedPort"/> for the stable one) and the release it serves. Persisted, so a
/// later build can stop or replace it.
/// </summary>
public sealed record RunningServer(
    [property: JsonPropertyName("runtime")] string Runtime,
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("port")] int Port,
    [property: JsonPropertyName("release")] ServerRelease Release)
{
    [JsonIgnore] public Uri Url => new($"http://127.0.0.1:{Port}");

    /// <summary>The port it listens on as well since it became ready, shared with the next release's server (blue/green); null for none.</summary>
    [JsonPropertyName("shared_port")]
    public int? SharedPort { get; init; }
}

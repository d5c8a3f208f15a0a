using System.Text.Json.Serialization;

namespace MLOps.Pipelines.Containers.Deployment;

/// <summary>
/// One version of the model server to put in service: the model it serves and how to start it — an image (the docker
/// runtime: its ID, and the docker-archive to load when the engine lacks it) or the published host executable and a
/// model folder (the process runtime). Both are started as <c>&lt;host&gt; --model-dir DIR --urls http://127.0.0.1:PORT</c>.
/// </summary>
public sealed record ServerRelease(
    [property: JsonPropertyName("model")] string ModelName,
    [property: JsonPropertyName("version")] int ModelVersion)
{
    /// <summary>The image's manifest digest (what a registry reports); recorded, not used to start.</summary>
    [JsonPropertyName("image_digest")] public string? ImageDigest { get; init; }
    /// <summary>The image's config digest: the image ID a Docker engine knows it by.</summary>
    [JsonPropertyName("image_id")] public string? ImageId { get; init; }
    [JsonPropertyName("docker_archive")] public string? DockerArchive { get; init; }
    /// <summary>The model folder's path inside the image.</summary>
    [JsonPropertyName("model_dir_in_image")] public string ModelDirectoryInImage { get; init; } = "/model";
    [JsonPropertyName("host_executable")] public string? HostExecutable { get; init; }
    [JsonPropertyName("model_dir")] public string? ModelDirectory { get; init; }

    public override string ToString() => $"{ModelName} v{ModelVersion}";
}

using System.Text.Json.Nodes;

namespace MLOps.Pipelines.Containers.Oci;

/// <summary>
/// A base image read from somewhere (an OCI layout, a docker-archive, a registry, or nothing): its config and its
/// layers, with their blobs in a <see cref="BlobDirectory"/>. Dispose removes any temporary copy.
/// </summary>
public sealed class SourceImage : IDisposable
{
    readonly string? _temporaryDirectory;

    internal SourceImage(JsonObject config, IReadOnlyList<ImageLayer> layers, BlobDirectory? blobs, string? temporaryDirectory)
    {
        Config = config;
        Layers = layers;
        Blobs = blobs;
        _temporaryDirectory = temporaryDirectory;
    }

    /// <summary>No base at all: the image's own layers are all there is.</summary>
    public static SourceImage Scratch() =>
        new(new JsonObject { ["architecture"] = "amd64", ["os"] = "linux", ["config"] = new JsonObject() }, [], null, null);

    public JsonObject Config { get; }
    public IReadOnlyList<ImageLayer> Layers { get; }
    public BlobDirectory? Blobs { get; }

    public void Dispose()
    {
        if (_temporaryDirectory is not null && Directory.Exists(_temporaryDirectory))
            Directory.Delete(_temporaryDirectory, recursive: true);
    }

    /// <summary>Pairs a manifest's layer descriptors with the config's diff_ids and history.</summary>
    internal static IReadOnlyList<ImageLayer> LayersOf(JsonObject config, IReadOnlyList<OciDescriptor> blobs, string what)
    {
        var diffIds = (config["rootfs"]?["diff_ids"] as JsonArray)?.Select(n => n?.GetValue<string>()).ToList() ?? [];
        if (diffIds.Count != blobs.Count || diffIds.Any(d => !OciDigest.IsValid(d)))
            throw new InvalidDataException($"{what}: the config lists {diffIds.Count} diff_ids for {blobs.Count} layers; the image is damaged.");
        var history = (config["history"] as JsonArray)?
            .Where(h => h?["empty_layer"]?.GetValue<bool>() != true)
            .Select(h => h?["created_by"]?.GetValue<string>() ?? "").ToList() ?? [];
        return blobs.Select((b, i) => new ImageLayer(b, diffIds[i]!, i < history.Count ? history[i] : "base layer")).ToList();
    }
}

using System.Text.Json.Nodes;
using MLOps.Pipelines.Containers.Layers;

namespace MLOps.Pipelines.Containers.Oci;

/// <summary>
/// Assembles an image without a daemon, as Jib, ko and rules_oci do: the base's layers as they are, then one gzip
/// Ustar layer per <see cref="LayerContent"/> (in the order given, so the model goes last and a retrain changes one
/// small layer), and a config without <c>created</c> times. The same inputs give the same digest on any machine and
/// day. Writes an OCI image layout directory and, when asked, a docker-archive tar.
/// </summary>
public static class ImageAssembler
{
    /// <param name="cache">Compressed layers kept by content (e.g. under .nuke/temp/layers): an unchanged server layer is not compressed again.</param>
    /// <param name="tags">References for the image, e.g. <c>flight-delays:v3</c>; the part after the last ':' tags the layout.</param>
    public static BuiltImage Build(SourceImage baseImage, IReadOnlyList<LayerContent> layers, ImageSettings settings,
        string layoutDirectory, string? dockerArchive, IReadOnlyList<string> tags, LayerCache? cache = null)
    {
        ArgumentNullException.ThrowIfNull(baseImage);
        var target = Path.GetFullPath(layoutDirectory);
        var staging = target + ".staging-" + Guid.NewGuid().ToString("N");
        Directory.CreateDirectory(staging);
        try
        {
            var blobs = new BlobDirectory(staging);
            foreach (var layer in baseImage.Layers)
                blobs.Import(layer.Blob, () => baseImage.Blobs!.Open(layer.Blob.Digest));
            var allLayers = baseImage.Layers.Concat(layers.Select(l => LayerWriter.Write(l, blobs, cache))).ToList();

            var config = blobs.Write(OciMediaTypes.Config, OciJson.Serialize(ImageConfig.Compose(baseImage, allLayers, settings)));
            var manifestNode = new JsonObject
            {
                ["schemaVersion"] = 2,
                ["mediaType"] = OciMediaTypes.Manifest,
                ["config"] = OciJson.ToNode(config),
                ["layers"] = new JsonArray(allLayers.Select(l => OciJson.ToNode(l.Blob)).ToArray()),
            };
            var manifest = blobs.Write(OciMediaTypes.Manifest, OciJson.Serialize(manifestNode));
            OciLayout.WriteIndex(staging, manifest, tags.Select(TagOf).ToList());

            if (Directory.Exists(target)) Directory.Delete(target, recursive: true);
            Directory.Move(staging, target);
            var finalBlobs = new BlobDirectory(target);
            if (dockerArchive is not null)
                DockerArchive.Write(dockerArchive, finalBlobs, manifest, config, allLayers, tags);
            return new BuiltImage(manifest.Digest, config.Digest, manifest, config, allLayers, tags, target,
                dockerArchive is null ? null : Path.GetFullPath(dockerArchive));
        }
        finally
        {
            if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        }
    }

    static string TagOf(string reference)
    {
        var slash = reference.LastIndexOf('/');
        var colon = reference.LastIndexOf(':');
        return colon > slash ? reference[(colon + 1)..] : "latest";
    }
}

using System.Text.Json.Nodes;

namespace MLOps.Pipelines.Containers.Oci;

/// <summary>Reads and writes OCI image layout directories (<c>oci-layout</c>, <c>index.json</c>, <c>blobs/sha256/</c>).</summary>
public static class OciLayout
{
    public const string RefNameAnnotation = "org.opencontainers.image.ref.name";
    static readonly byte[] LayoutMarker = "{\"imageLayoutVersion\":\"1.0.0\"}"u8.ToArray();

    /// <summary>Writes <c>oci-layout</c> and <c>index.json</c> naming <paramref name="manifest"/> once per tag.</summary>
    public static void WriteIndex(string directory, OciDescriptor manifest, IReadOnlyList<string> tags)
    {
        File.WriteAllBytes(Path.Combine(directory, "oci-layout"), LayoutMarker);
        File.WriteAllBytes(Path.Combine(directory, "index.json"), IndexBytes(manifest, tags));
    }

    public static byte[] IndexBytes(OciDescriptor manifest, IReadOnlyList<string> tags)
    {
        var manifests = new JsonArray();
        foreach (var tag in tags.Count == 0 ? [null] : tags.Order(StringComparer.Ordinal).Cast<string?>())
        {
            var entry = (JsonObject)OciJson.ToNode(manifest);
            if (tag is not null) entry["annotations"] = new JsonObject { [RefNameAnnotation] = tag };
            manifests.Add(entry);
        }
        return OciJson.Serialize(new JsonObject { ["schemaVersion"] = 2, ["mediaType"] = OciMediaTypes.Index, ["manifests"] = manifests });
    }

    public static byte[] LayoutMarkerBytes => LayoutMarker.ToArray();

    /// <summary>Reads the image <paramref name="tag"/> names (or the only one) from a layout directory.</summary>
    public static SourceImage Read(string directory, string? tag = null)
    {
        var root = Path.GetFullPath(directory);
        var indexPath = Path.Combine(root, "index.json");
        if (!File.Exists(indexPath)) throw new FileNotFoundException($"{root} is not an OCI image layout: it has no index.json.", indexPath);
        var blobs = new BlobDirectory(root);
        var index = OciJson.ParseObject(File.ReadAllBytes(indexPath), indexPath);
        var entries = (index["manifests"] as JsonArray ?? []).ToList();
        var chosen = tag is null
            ? entries.Select(e => OciJson.ToDescriptor(e, indexPath)).Distinct().ToList()
            : entries.Where(e => e?["annotations"]?[RefNameAnnotation]?.GetValue<string>() == tag).Select(e => OciJson.ToDescriptor(e, indexPath)).Distinct().ToList();
        if (chosen.Count != 1)
            throw new InvalidDataException($"{indexPath} names {chosen.Count} images{(tag is null ? "" : $" tagged '{tag}'")}; name exactly one (pass the tag).");
        return FromManifest(blobs, chosen[0], indexPath, temporaryDirectory: null);
    }

    internal static SourceImage FromManifest(BlobDirectory blobs, OciDescriptor manifestDescriptor, string what, string? temporaryDirectory)
    {
        var manifestBytes = Verified(blobs, manifestDescriptor.Digest, what);
        var manifest = OciJson.ParseObject(manifestBytes, $"manifest {manifestDescriptor.Digest}");
        var configDescriptor = OciJson.ToDescriptor(manifest["config"], $"the config of manifest {manifestDescriptor.Digest}");
        var config = OciJson.ParseObject(Verified(blobs, configDescriptor.Digest, what), $"config {configDescriptor.Digest}");
        var layers = (manifest["layers"] as JsonArray ?? []).Select(l => OciJson.ToDescriptor(l, $"a layer of manifest {manifestDescriptor.Digest}")).ToList();
        foreach (var layer in layers)
            if (!blobs.Contains(layer.Digest)) throw new InvalidDataException($"{what}: layer {layer.Digest} is missing from {blobs.Root}.");
        return new SourceImage(config, SourceImage.LayersOf(config, layers, what), blobs, temporaryDirectory);
    }

    static byte[] Verified(BlobDirectory blobs, string digest, string what)
    {
        if (!blobs.Contains(digest)) throw new InvalidDataException($"{what}: blob {digest} is missing from {blobs.Root}.");
        var bytes = blobs.Read(digest);
        if (OciDigest.Of(bytes) != digest) throw new InvalidDataException($"{what}: blob {digest} does not have that digest; the layout is damaged.");
        return bytes;
    }
}

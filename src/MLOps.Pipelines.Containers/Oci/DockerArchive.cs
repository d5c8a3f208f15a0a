using System.Formats.Tar;
using System.Text.Json.Nodes;
using MLOps.Pipelines.Containers.Layers;

namespace MLOps.Pipelines.Containers.Oci;

/// <summary>
/// The docker-archive tar (<c>docker save</c>'s format, the only one Docker 20.10 loads): <c>manifest.json</c> naming
/// the config and layer files. The archive written here also holds <c>oci-layout</c> and <c>index.json</c> over the
/// same <c>blobs/sha256/</c>, so it is an OCI layout tar as well; entries are Ustar with fixed times.
/// </summary>
public static class DockerArchive
{
    public static void Write(string archivePath, BlobDirectory blobs, OciDescriptor manifest, OciDescriptor config,
        IReadOnlyList<ImageLayer> layers, IReadOnlyList<string> repoTags)
    {
        var dockerManifest = new JsonArray(new JsonObject
        {
            ["Config"] = BlobPath(config.Digest),
            ["RepoTags"] = new JsonArray(repoTags.Order(StringComparer.Ordinal).Select(t => (JsonNode)t!).ToArray()),
            ["Layers"] = new JsonArray(layers.Select(l => (JsonNode)BlobPath(l.Blob.Digest)!).ToArray()),
        });
        var content = new LayerContent("docker-archive")
            .AddBytes(OciJson.Serialize(dockerManifest), "manifest.json")
            .AddBytes(OciLayout.LayoutMarkerBytes, "oci-layout")
            .AddBytes(OciLayout.IndexBytes(manifest, repoTags), "index.json");
        foreach (var digest in layers.Select(l => l.Blob.Digest).Append(config.Digest).Append(manifest.Digest).Distinct())
            content.AddFile(blobs.PathOf(digest), BlobPath(digest), executable: false);

        var full = Path.GetFullPath(archivePath);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        AtomicFile.Write(full, stream => ReproducibleTar.Write(stream, content.Entries));
    }

    /// <summary>Reads a docker-archive (from <c>docker save</c> or from <see cref="Write"/>) as a base image.</summary>
    public static SourceImage Read(string archivePath)
    {
        var full = Path.GetFullPath(archivePath);
        if (!File.Exists(full)) throw new FileNotFoundException($"{full} does not exist: give a docker-archive tar (docker save) as the base.", full);
        var temporary = Directory.CreateTempSubdirectory("mlops-docker-archive-").FullName;
        try
        {
            var extracted = Path.Combine(temporary, "archive");
            Directory.CreateDirectory(extracted);
            using (var reader = new TarReader(File.OpenRead(full)))
            {
                while (reader.GetNextEntry() is { } entry)
                {
                    if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile)) continue;
                    var target = Path.GetFullPath(Path.Combine(extracted, entry.Name));
                    if (!target.StartsWith(extracted + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                        throw new InvalidDataException($"{full}: entry '{entry.Name}' points outside the archive; refusing it.");
                    Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                    entry.ExtractToFile(target, overwrite: true);
                }
            }
            var manifestPath = Path.Combine(extracted, "manifest.json");
            if (!File.Exists(manifestPath)) throw new InvalidDataException($"{full} has no manifest.json: it is not a docker-archive (docker save writes one).");
            var images = JsonNode.Parse(File.ReadAllBytes(manifestPath)) as JsonArray;
            if (images is not { Count: 1 }) throw new InvalidDataException($"{full}: manifest.json must name exactly one image.");
            var configFile = Inside(extracted, images[0]?["Config"]?.GetValue<string>(), full);
            var layerFiles = (images[0]?["Layers"] as JsonArray ?? []).Select(l => Inside(extracted, l?.GetValue<string>(), full)).ToList();

            var blobs = new BlobDirectory(Path.Combine(temporary, "layout"));
            var configBytes = File.ReadAllBytes(configFile);
            blobs.Write(OciMediaTypes.Config, configBytes);
            var config = OciJson.ParseObject(configBytes, $"{full}: the image config");
            var descriptors = new List<OciDescriptor>();
            foreach (var file in layerFiles)
            {
                var digest = OciDigest.OfFile(file);
                var descriptor = new OciDescriptor(IsGzip(file) ? OciMediaTypes.LayerGzip : OciMediaTypes.Layer, digest, new FileInfo(file).Length);
                blobs.Import(descriptor, () => File.OpenRead(file));
                descriptors.Add(descriptor);
            }
            Directory.Delete(extracted, recursive: true);
            return new SourceImage(config, SourceImage.LayersOf(config, descriptors, full), blobs, temporary);
        }
        catch
        {
            Directory.Delete(temporary, recursive: true);
            throw;
        }
    }

    static string BlobPath(string digest) => "blobs/sha256/" + OciDigest.Hex(digest);

    static string Inside(string root, string? relative, string archive)
    {
        if (string.IsNullOrEmpty(relative)) throw new InvalidDataException($"{archive}: manifest.json names an empty file.");
        var path = Path.GetFullPath(Path.Combine(root, relative));
        if (!path.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal) || !File.Exists(path))
            throw new InvalidDataException($"{archive}: manifest.json names '{relative}', which is not a file in the archive.");
        return path;
    }

    static bool IsGzip(string file)
    {
        using var stream = File.OpenRead(file);
        return stream.ReadByte() == 0x1f && stream.ReadByte() == 0x8b;
    }
}

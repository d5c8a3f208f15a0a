using System.Globalization;

namespace MLOps.Pipelines.Serving.Delivery;

/// <summary>What Package prints: the image, where its server came from, and what the push sent against what the registry already had.</summary>
public static class PackageReport
{
    public static IReadOnlyList<string> Lines(PackageResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var lines = new List<string>
        {
            string.Create(CultureInfo.InvariantCulture,
                $"package: {result.Image.Tag} {result.Image.ImageDigest} ({result.Image.CompressedBytes / 1e6:0.0} MB) → {result.DockerArchive}"),
        };
        if (result.Server is { } server)
            lines.Add(server.PublishedNow
                ? string.Create(CultureInfo.InvariantCulture, $"package: server published for sources {server.Key[..12]} in {server.Elapsed.TotalSeconds:0.0} s (shared by every pipeline)")
                : $"package: server reused (sources {server.Key[..12]} published before)");
        if (result.Push is { } push)
            lines.Add(string.Create(CultureInfo.InvariantCulture,
                $"package: pushed to {result.Image.PushedTo}: {push.BlobsUploaded} blobs sent ({push.BytesUploaded:N0} bytes), {push.BlobsSkipped} already there ({push.BytesSkipped:N0} bytes), manifest under {string.Join(", ", push.Tags)}, {push.Elapsed.TotalSeconds:0.00} s"));
        return lines;
    }
}

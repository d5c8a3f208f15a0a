using System.Formats.Tar;

namespace MLOps.Pipelines.Containers.Layers;

/// <summary>
/// Writes entries as a Ustar tar (the format whose bytes depend on nothing but the entries) in ordinal path order, each
/// with one fixed modification time and no user or group names.
/// </summary>
public static class ReproducibleTar
{
    /// <summary>The time on every entry: one second past the epoch, as Jib writes.</summary>
    public static readonly DateTimeOffset EntryTime = DateTimeOffset.FromUnixTimeSeconds(1);

    public static void Write(Stream output, IEnumerable<LayerEntry> entries)
    {
        using var writer = new TarWriter(output, TarEntryFormat.Ustar, leaveOpen: true);
        foreach (var entry in entries.OrderBy(e => e.PathInImage, StringComparer.Ordinal))
        {
            var tar = new UstarTarEntry(entry.IsDirectory ? TarEntryType.Directory : TarEntryType.RegularFile,
                entry.IsDirectory ? entry.PathInImage + "/" : entry.PathInImage)
            {
                ModificationTime = EntryTime,
                Mode = entry.Mode,
                Uid = entry.Uid,
                Gid = entry.Gid,
                UserName = "",
                GroupName = "",
            };
            Stream? data = entry.Content is not null ? new MemoryStream(entry.Content, writable: false)
                : entry.SourceFile is not null ? File.OpenRead(entry.SourceFile) : null;
            using (data)
            {
                if (data is not null) tar.DataStream = data;
                writer.WriteEntry(tar);
            }
        }
    }
}

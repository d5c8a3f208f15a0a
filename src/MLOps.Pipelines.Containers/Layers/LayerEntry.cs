namespace MLOps.Pipelines.Containers.Layers;

/// <summary>
/// One entry of a layer: a directory, or a file whose bytes come from a host file or from memory, at a relative
/// path inside the image (no leading slash), with its mode and owner.
/// </summary>
public sealed record LayerEntry(string PathInImage, UnixFileMode Mode, int Uid, int Gid, string? SourceFile, byte[]? Content)
{
    public bool IsDirectory => SourceFile is null && Content is null;
}

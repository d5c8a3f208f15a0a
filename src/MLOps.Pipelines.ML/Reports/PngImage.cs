namespace MLOps.Pipelines.ML.Reports;

/// <summary>A PNG file's bytes and size, checked to be a PNG so the report never embeds something a browser cannot show.</summary>
internal sealed record PngImage(byte[] Bytes, int Width, int Height)
{
    static ReadOnlySpan<byte> Signature => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    public static PngImage Load(ReportImage image)
    {
        if (!File.Exists(image.PngPath))
            throw new FileNotFoundException(
                $"Report image '{image.Caption}': '{image.PngPath}' does not exist. Run the stage that draws it first.", image.PngPath);
        var bytes = File.ReadAllBytes(image.PngPath);
        // Signature, then the IHDR chunk: length (4), "IHDR" (4), width (4, big-endian), height (4, big-endian).
        if (bytes.Length < 24 || !bytes.AsSpan(0, 8).SequenceEqual(Signature) || !bytes.AsSpan(12, 4).SequenceEqual("IHDR"u8))
            throw new InvalidDataException(
                $"Report image '{image.Caption}': '{image.PngPath}' is not a PNG file. Save plots as PNG (e.g. ScottPlot's SavePng).");
        return new PngImage(bytes, ReadInt32BigEndian(bytes, 16), ReadInt32BigEndian(bytes, 20));
    }

    static int ReadInt32BigEndian(byte[] bytes, int offset) =>
        System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(offset, 4));
}

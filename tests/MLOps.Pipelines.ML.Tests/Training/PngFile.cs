using SkiaSharp;

namespace MLOps.Pipelines.ML.Tests.Training;

/// <summary>Asserts a file is a real, decodable PNG image.</summary>
public static class PngFile
{
    private static readonly byte[] Signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    public static (int Width, int Height) ShouldBeValid(string path)
    {
        File.Exists(path).ShouldBeTrue($"{path} was not written");
        var bytes = File.ReadAllBytes(path);
        bytes.Length.ShouldBeGreaterThan(Signature.Length);
        bytes.AsSpan(0, Signature.Length).SequenceEqual(Signature).ShouldBeTrue($"{path} lacks the PNG signature");
        using var bitmap = SKBitmap.Decode(bytes);
        bitmap.ShouldNotBeNull($"{path} does not decode");
        bitmap.Width.ShouldBeGreaterThan(0);
        bitmap.Height.ShouldBeGreaterThan(0);
        return (bitmap.Width, bitmap.Height);
    }
}

using System.Diagnostics;
using MLOps.Pipelines.Internal.Hashing;

namespace MLOps.Pipelines.Tests.Caching;

/// <summary>
/// Files up to 8 MiB are hashed whole in one call, larger ones streamed (through <see cref="Xxh3LongStream"/> on AVX2):
/// every path gives what xxhsum -H128 prints, and the combined XXH3 + SHA-256 pass agrees.
/// </summary>
public class ContentHashFileSizeTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(100_000)]
    [InlineData(8 << 20)]            // the largest file hashed whole
    [InlineData((8 << 20) + 1)]      // the smallest one streamed
    [InlineData((8 << 20) + 63)]
    [InlineData((8 << 20) + 64)]
    [InlineData((8 << 20) + 65)]
    [InlineData((9 << 20) + 1024)]   // ends on a block boundary of XXH3 (16 stripes of 64 bytes)
    [InlineData((9 << 20) + 1025)]
    [InlineData((9 << 20) + 12345)]  // streamed over several buffers, not a multiple of one
    public void Xxh3_of_a_file_of_any_size_equals_xxhsum_H128(int size)
    {
        using var root = new CacheTestRoot();
        var path = root.PathOf("file.bin");
        var data = new byte[size];
        new Random(size).NextBytes(data);
        File.WriteAllBytes(path, data);

        using var process = Process.Start(new ProcessStartInfo("xxhsum", ["-H128", path]) { RedirectStandardOutput = true })!;
        var line = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        process.ExitCode.ShouldBe(0);

        var expected = line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0];
        ContentHash.Xxh3File(path).ShouldBe(expected);
        ContentHash.Xxh3(data).ShouldBe(expected);
        ContentHash.BothFile(path).ShouldBe((expected, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(data))));
    }

    [Theory]
    [InlineData(241, 1)]
    [InlineData(1000, 7)]
    [InlineData(5000, 64)]
    [InlineData(70_000, 1000)]
    [InlineData(70_000, 1024)]
    [InlineData(200_003, 65_536)]
    public void The_long_stream_gives_the_one_shot_hash_whatever_the_pieces(int size, int piece)
    {
        if (!Xxh3LongStream.IsSupported) return; // ContentHash uses XxHash128's own streaming there
        var data = new byte[size];
        new Random(size + piece).NextBytes(data);
        var stream = new Xxh3LongStream();
        for (var offset = 0; offset < size; offset += piece)
            stream.Append(data.AsSpan(offset, Math.Min(piece, size - offset)));
        Convert.ToHexStringLower(stream.GetHash()).ShouldBe(Convert.ToHexStringLower(System.IO.Hashing.XxHash128.Hash(data)));
    }
}

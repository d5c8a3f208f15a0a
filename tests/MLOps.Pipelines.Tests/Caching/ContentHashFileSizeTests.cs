using System.Diagnostics;
using MLOps.Pipelines.Caching;

namespace MLOps.Pipelines.Tests.Caching;

/// <summary>Files up to 8 MiB are hashed whole in one call, larger ones streamed: both give what xxhsum -H128 prints.</summary>
public class ContentHashFileSizeTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(100_000)]
    [InlineData(8 << 20)]            // the largest file hashed whole
    [InlineData((8 << 20) + 1)]      // the smallest one streamed
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

        ContentHash.Xxh3File(path).ShouldBe(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0]);
        ContentHash.Xxh3File(path).ShouldBe(ContentHash.Xxh3(data));
    }
}

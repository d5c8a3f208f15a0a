using System.Diagnostics;
using System.Security.Cryptography;
using MLOps.Pipelines.Internal.Hashing;

namespace MLOps.Pipelines.Tests.Caching;

public class ContentHashTests
{
    [Fact]
    public void Xxh3_of_a_multi_buffer_file_equals_xxhsum_H128()
    {
        using var root = new CacheTestRoot();
        var path = root.PathOf("big.bin");
        var data = new byte[(3 << 20) + 12345]; // more than the 1 MiB streaming buffer, not a multiple of it
        new Random(42).NextBytes(data);
        File.WriteAllBytes(path, data);

        var start = new ProcessStartInfo("xxhsum", ["-H128", path]) { RedirectStandardOutput = true };
        using var process = Process.Start(start)!;
        var line = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        process.ExitCode.ShouldBe(0);

        ContentHash.Xxh3File(path).ShouldBe(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0]);
        ContentHash.Xxh3(data).ShouldBe(ContentHash.Xxh3File(path));
    }

    [Fact]
    public void Sha256_and_the_combined_pass_agree_with_the_one_shot_hashes()
    {
        using var root = new CacheTestRoot();
        var data = new byte[(2 << 20) + 7];
        new Random(7).NextBytes(data);
        var path = root.PathOf("x.bin");
        File.WriteAllBytes(path, data);

        var expectedSha = Convert.ToHexStringLower(SHA256.HashData(data));
        ContentHash.Sha256File(path).ShouldBe(expectedSha);
        ContentHash.BothFile(path).ShouldBe((ContentHash.Xxh3(data), expectedSha));
    }
}

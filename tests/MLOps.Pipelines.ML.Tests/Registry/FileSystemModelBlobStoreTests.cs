using System.Security.Cryptography;
using MLOps.Pipelines.ML.Registry;

namespace MLOps.Pipelines.ML.Tests.Registry;

public sealed class FileSystemModelBlobStoreTests : IDisposable
{
    readonly TemporaryDirectory _root = new();
    readonly FileSystemModelBlobStore _store;

    public FileSystemModelBlobStoreTests() => _store = FileSystemModelBlobStore.ForRepository(_root);

    public void Dispose() => _root.Dispose();

    [Fact]
    public void Put_stores_the_file_under_its_sha256_in_the_repository_cache()
    {
        var bytes = RandomNumberGenerator.GetBytes(300_000);
        var file = _root.Path / "model.zip";
        File.WriteAllBytes(file, bytes);

        var digest = _store.Put(file);

        digest.ShouldBe(Convert.ToHexStringLower(SHA256.HashData(bytes)));
        _store.PathOf(digest).ShouldBe(_root.Path / ".nuke" / "cache" / "models" / digest);
        File.ReadAllBytes(_store.PathOf(digest)).ShouldBe(bytes);
        Directory.GetFiles(_store.Directory).Length.ShouldBe(1);
    }

    [Fact]
    public void TryGet_copies_a_verified_blob_and_answers_false_for_an_unknown_digest()
    {
        var file = _root.WriteFile("model.zip", "bytes");
        var digest = _store.Put(file);

        _store.TryGet(digest, _root.Path / "out" / "a.zip").ShouldBeTrue();
        File.ReadAllText(_root.Path / "out" / "a.zip").ShouldBe("bytes");
        _store.TryGet(new string('0', 64), _root.Path / "out" / "b.zip").ShouldBeFalse();
        File.Exists(_root.Path / "out" / "b.zip").ShouldBeFalse();
    }

    [Fact]
    public void A_corrupted_blob_is_detected_and_a_new_put_repairs_it()
    {
        var file = _root.WriteFile("model.zip", "bytes");
        var digest = _store.Put(file);
        File.WriteAllText(_store.PathOf(digest), "BYTES");

        Should.Throw<CorruptModelBlobException>(() => _store.TryGet(digest, _root.Path / "x.zip"))
            .Message.ShouldContain($"expected sha256 {digest}");
        File.Exists(_root.Path / "x.zip").ShouldBeFalse();

        _store.Put(file).ShouldBe(digest);
        _store.TryGet(digest, _root.Path / "x.zip").ShouldBeTrue();
    }

    [Fact]
    public void Digests_that_are_not_sha256_and_missing_files_are_rejected()
    {
        Should.Throw<ArgumentException>(() => _store.TryGet("../../etc/passwd", _root.Path / "x"))
            .Message.ShouldContain("not a SHA-256 digest");
        Should.Throw<ArgumentException>(() => _store.TryGet(new string('A', 64), _root.Path / "x"));
        Should.Throw<FileNotFoundException>(() => _store.Put(_root.Path / "missing.zip"))
            .Message.ShouldContain("missing.zip");
    }
}

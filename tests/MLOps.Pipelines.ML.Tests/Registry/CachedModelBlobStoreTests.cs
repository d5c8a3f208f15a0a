using MLOps.Pipelines.ML.Registry;

namespace MLOps.Pipelines.ML.Tests.Registry;

/// <summary>A local folder in front of a shared store (here another real folder): reads local first, fetches and keeps what it lacks.</summary>
public sealed class CachedModelBlobStoreTests : IDisposable
{
    readonly TemporaryDirectory _root = new();

    [Fact]
    public void Put_writes_both_stores_and_a_runner_with_an_empty_cache_fetches_from_the_shared_one_and_keeps_it()
    {
        var shared = new FileSystemModelBlobStore(_root.Path / "shared");
        var file = _root.Path / "model.zip";
        File.WriteAllText(file, "model bytes");
        var digest = new CachedModelBlobStore(new FileSystemModelBlobStore(_root.Path / "trainer"), shared).Put(file);
        File.Exists(shared.PathOf(digest)).ShouldBeTrue();
        File.Exists(_root.Path / "trainer" / digest).ShouldBeTrue();

        var runnerCache = new FileSystemModelBlobStore(_root.Path / "runner");
        var runner = new CachedModelBlobStore(runnerCache, shared);
        runner.Location.ShouldBe(shared.Location);
        runner.TryGet(digest, _root.Path / "out" / "a.zip").ShouldBeTrue();
        File.ReadAllText(_root.Path / "out" / "a.zip").ShouldBe("model bytes");
        File.Exists(runnerCache.PathOf(digest)).ShouldBeTrue();

        // A damaged local copy is repaired from the shared store; a digest neither holds is not found.
        File.WriteAllText(runnerCache.PathOf(digest), "bit rot");
        runner.TryGet(digest, _root.Path / "out" / "b.zip").ShouldBeTrue();
        File.ReadAllText(runnerCache.PathOf(digest)).ShouldBe("model bytes");
        runner.TryGet(new string('0', 64), _root.Path / "out" / "c.zip").ShouldBeFalse();

        // Damaged in the shared store too: refused, nothing written.
        File.WriteAllText(runnerCache.PathOf(digest), "bit rot");
        File.WriteAllText(shared.PathOf(digest), "bit rot");
        Should.Throw<CorruptModelBlobException>(() => runner.TryGet(digest, _root.Path / "out" / "d.zip"));
        File.Exists(_root.Path / "out" / "d.zip").ShouldBeFalse();
    }

    public void Dispose() => _root.Dispose();
}

using MLOps.Pipelines.Internal.Hashing;

namespace MLOps.Pipelines.Tests.Caching;

/// <summary>The persisted directory manifests: an unchanged folder is checked without reading a file, and every kind of change is seen.</summary>
public sealed class DirectoryManifestCacheTests : IDisposable
{
    readonly CacheTestRoot _root = new();

    public DirectoryManifestCacheTests()
    {
        _root.Write("data/a.csv", "1,2\n");
        _root.Write("data/sub/b.csv", "3,4\n");
        _root.Write("data/sub/deeper/c.csv", "5,6\n");
        AgeAll();
    }

    /// <summary>A fresh state and cache per call, as each build process has.</summary>
    (ManifestEntry Entry, IReadOnlyList<ManifestFile> Files, long Hashed) Check()
    {
        var state = FileStateCache.Load(_root.PathOf(".nuke/state"));
        var (entry, files) = new DirectoryManifestCache(state).Hash(_root.PathOf("data"), "data");
        state.Save();
        return (entry, files, state.HashedFileCount);
    }

    [Fact]
    public void An_unchanged_folder_is_checked_without_reading_any_file_and_gives_the_same_tree()
    {
        var first = Check();
        first.Hashed.ShouldBe(3);
        first.Files.Select(f => f.Path).ShouldBe(["data/a.csv", "data/sub/b.csv", "data/sub/deeper/c.csv"]);
        first.Entry.ShouldBe(TreeHash.Entry("data", first.Files));

        var second = Check();
        second.Hashed.ShouldBe(0);
        second.Entry.ShouldBe(first.Entry);
        second.Files.ShouldBe(first.Files);
    }

    [Fact]
    public void An_edit_in_place_of_the_same_size_rehashes_that_file_alone()
    {
        var before = Check();
        _root.Write("data/sub/deeper/c.csv", "5,7\n");
        _root.Age("data/sub/deeper/c.csv");

        var after = Check();
        after.Hashed.ShouldBe(1);
        after.Entry.Hash.ShouldNotBe(before.Entry.Hash);
        after.Files.Single(f => f.Path == "data/sub/deeper/c.csv").Hash.ShouldBe(ContentHash.Xxh3("5,7\n"u8));
        after.Entry.ShouldBe(TreeHash.Entry("data", after.Files));
    }

    [Fact]
    public void An_edit_that_restores_the_old_mtime_is_seen_through_the_change_time()
    {
        var before = Check();
        var path = _root.PathOf("data/a.csv");
        var mtime = File.GetLastWriteTimeUtc(path);
        File.WriteAllText(path, "9,9\n");
        File.SetLastWriteTimeUtc(path, mtime); // as cp -p or tar would

        Check().Entry.Hash.ShouldNotBe(before.Entry.Hash);
    }

    [Theory]
    [InlineData("add")]
    [InlineData("delete")]
    [InlineData("rename")]
    public void Adding_deleting_or_renaming_a_file_in_a_nested_folder_is_seen(string change)
    {
        Check();
        switch (change)
        {
            case "add": _root.Write("data/sub/deeper/d.csv", "7,8\n"); _root.Age("data/sub/deeper/d.csv"); break;
            case "delete": File.Delete(_root.PathOf("data/sub/deeper/c.csv")); break;
            default: File.Move(_root.PathOf("data/sub/deeper/c.csv"), _root.PathOf("data/sub/deeper/e.csv")); break;
        }

        var after = Check();
        after.Files.Select(f => f.Path).ShouldBe(change switch
        {
            "add" => ["data/a.csv", "data/sub/b.csv", "data/sub/deeper/c.csv", "data/sub/deeper/d.csv"],
            "delete" => ["data/a.csv", "data/sub/b.csv"],
            _ => ["data/a.csv", "data/sub/b.csv", "data/sub/deeper/e.csv"],
        });
        after.Hashed.ShouldBe(change == "delete" ? 0 : 1); // only the new name is read
        after.Entry.ShouldBe(TreeHash.Entry("data", after.Files));
    }

    [Fact]
    public void An_empty_folder_is_an_empty_tree_and_its_first_file_is_seen()
    {
        Directory.CreateDirectory(_root.PathOf("empty"));
        var state = FileStateCache.Load(_root.PathOf(".nuke/state"));
        var cache = new DirectoryManifestCache(state);

        var (entry, files) = cache.Hash(_root.PathOf("empty"), "empty");
        files.ShouldBeEmpty();
        entry.ShouldBe(TreeHash.Entry("empty", []));
        cache.Hash(_root.PathOf("empty"), "empty").Entry.ShouldBe(entry);

        _root.Write("empty/first.csv", "1\n");
        cache.Hash(_root.PathOf("empty"), "empty").Files.Select(f => f.Path).ShouldBe(["empty/first.csv"]);
    }

    [Fact]
    public void A_damaged_record_costs_a_rescan_not_an_error()
    {
        var first = Check();
        foreach (var record in Directory.EnumerateFiles(_root.PathOf(".nuke/state/dirs")))
            File.WriteAllBytes(record, [1, 2, 3]);

        var again = Check();
        again.Entry.ShouldBe(first.Entry);
        again.Hashed.ShouldBe(3);
    }

    void AgeAll()
    {
        var past = DateTime.UtcNow.AddMinutes(-1);
        foreach (var file in Directory.EnumerateFiles(_root.PathOf("data"), "*", SearchOption.AllDirectories))
            File.SetLastWriteTimeUtc(file, past);
        foreach (var folder in Directory.EnumerateDirectories(_root.PathOf("data"), "*", SearchOption.AllDirectories).Append(_root.PathOf("data")))
            Directory.SetLastWriteTimeUtc(folder, past);
    }

    public void Dispose() => _root.Dispose();
}

using MLOps.Pipelines.Internal.Hashing;

namespace MLOps.Pipelines.Tests.Caching;

/// <summary>
/// Rehash avoidance is observed through <see cref="FileStateCache.HashedFileCount"/>, which counts the files actually
/// opened and read; a state hit must leave it unchanged. Files are aged (mtime a minute back) because a file modified
/// within two seconds of being hashed is deliberately rehashed next time (its mtime could hide a second edit).
/// </summary>
public class FileStateCacheTests
{
    [Fact]
    public void An_unchanged_file_is_hashed_once_also_across_a_reload_of_the_persisted_state()
    {
        using var root = new CacheTestRoot();
        var path = root.Write("data/a.csv", "x,y\n1,2\n");
        root.Age("data/a.csv");
        var stateDir = root.PathOf(".nuke/state");

        var state = FileStateCache.Load(stateDir);
        var first = state.Hash(path, "data/a.csv");
        state.Hash(path, "data/a.csv").ShouldBe(first);
        state.HashedFileCount.ShouldBe(1);
        state.Save();

        var reloaded = FileStateCache.Load(stateDir);
        reloaded.Hash(path, "data/a.csv").ShouldBe(first);
        reloaded.HashedFileCount.ShouldBe(0);
    }

    [Fact]
    public void A_same_size_edit_with_the_mtime_put_back_is_still_detected_through_ctime()
    {
        using var root = new CacheTestRoot();
        var path = root.Write("a.txt", "aaaa");
        root.Age("a.txt");
        var mtime = File.GetLastWriteTimeUtc(path);
        var state = FileStateCache.Load(root.PathOf(".nuke/state"));
        var before = state.Hash(path, "a.txt");

        File.WriteAllText(path, "bbbb"); // same size, same inode
        File.SetLastWriteTimeUtc(path, mtime); // what cp -p or tar would do

        var after = state.Hash(path, "a.txt");
        after.Hash.ShouldNotBe(before.Hash);
        after.Hash.ShouldBe(ContentHash.Xxh3("bbbb"u8));
        state.HashedFileCount.ShouldBe(2);
    }

    [Fact]
    public void A_recently_modified_file_is_rehashed_until_the_racy_window_has_passed()
    {
        using var root = new CacheTestRoot();
        var path = root.Write("fresh.txt", "new");
        var state = FileStateCache.Load(root.PathOf(".nuke/state"));
        state.Hash(path, "fresh.txt");
        state.Hash(path, "fresh.txt");
        state.HashedFileCount.ShouldBe(2);
    }

    [Fact]
    public void Two_instances_saving_keep_each_others_entries()
    {
        using var root = new CacheTestRoot();
        var a = root.Write("a.txt", "a");
        var b = root.Write("b.txt", "b");
        root.Age("a.txt");
        root.Age("b.txt");
        var stateDir = root.PathOf(".nuke/state");

        var first = FileStateCache.Load(stateDir);
        var second = FileStateCache.Load(stateDir);
        first.Hash(a, "a.txt");
        second.Hash(b, "b.txt");
        first.Save();
        second.Save();

        var merged = FileStateCache.Load(stateDir);
        merged.Hash(a, "a.txt");
        merged.Hash(b, "b.txt");
        merged.HashedFileCount.ShouldBe(0);
    }

    [Fact]
    public void A_damaged_state_file_costs_a_rehash_not_an_error()
    {
        using var root = new CacheTestRoot();
        var path = root.Write("a.txt", "a");
        root.Age("a.txt");
        var state = FileStateCache.Load(root.PathOf(".nuke/state"));
        state.Hash(path, "a.txt");
        state.Save();
        var file = root.PathOf(".nuke/state/files.bin");
        File.WriteAllBytes(file, File.ReadAllBytes(file)[..^5]);

        var reloaded = FileStateCache.Load(root.PathOf(".nuke/state"));
        reloaded.Hash(path, "a.txt").Hash.ShouldBe(ContentHash.Xxh3("a"u8));
        reloaded.HashedFileCount.ShouldBe(1);
    }

    [Fact]
    public void Many_files_are_hashed_in_parallel_in_input_order()
    {
        using var root = new CacheTestRoot();
        var files = Enumerable.Range(0, 50).Select(i => (root.Write($"d/{i}.txt", $"content {i}"), $"d/{i}.txt")).ToList();
        var state = FileStateCache.Load(root.PathOf(".nuke/state"));
        var hashed = state.HashAll(files);
        hashed.Select(h => h.Path).ShouldBe(files.Select(f => f.Item2));
        hashed[17].Hash.ShouldBe(ContentHash.Xxh3("content 17"u8));
    }
}

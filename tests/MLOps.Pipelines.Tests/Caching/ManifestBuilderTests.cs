using MLOps.Pipelines.Internal.Hashing;

namespace MLOps.Pipelines.Tests.Caching;

public class ManifestBuilderTests
{
    static ManifestBuilder Builder(CacheTestRoot root) => new(root.Root, FileStateCache.Load(root.PathOf(".nuke/state")));

    [Fact]
    public void Files_directories_and_globs_expand_to_sorted_root_relative_entries()
    {
        using var root = new CacheTestRoot();
        root.Write("data/raw/b.csv", "b");
        root.Write("data/raw/sub/a.csv", "a");
        root.Write("data/raw/.hidden", "h");
        root.Write("data/raw/notes.txt", "n");
        root.Write("config.json", "{}");

        var manifest = Builder(root).BuildInputs("Prepare", ["data/raw", root.PathOf("config.json"), "data/**/*.csv"]);

        manifest.Entries.Select(e => e.Path).ShouldBe(["config.json", "data/**/*.csv", "data/raw"]);
        manifest.Entries[0].ShouldBe(new ManifestEntry("config.json", 2, ContentHash.Xxh3("{}"u8)));
        manifest.Trees["data/raw"].Select(f => f.Path).ShouldBe(["data/raw/.hidden", "data/raw/b.csv", "data/raw/notes.txt", "data/raw/sub/a.csv"]);
        manifest.Trees["data/**/*.csv"].Select(f => f.Path).ShouldBe(["data/raw/b.csv", "data/raw/sub/a.csv"]);
        manifest.Entries[1].FileCount.ShouldBe(2);
        manifest.Entries[1].Size.ShouldBe(2);
    }

    [Fact]
    public void A_tree_hash_changes_with_any_file_and_not_with_timestamps()
    {
        using var root = new CacheTestRoot();
        root.Write("d/x", "1");
        root.Write("d/y", "2");
        var builder = Builder(root);
        var first = builder.BuildInputs("T", ["d"]).Entries[0].Hash;
        File.SetLastWriteTimeUtc(root.PathOf("d/x"), DateTime.UtcNow.AddDays(-3));
        builder.BuildInputs("T", ["d"]).Entries[0].Hash.ShouldBe(first);

        root.Write("d/y", "3");
        var edited = builder.BuildInputs("T", ["d"]).Entries[0].Hash;
        edited.ShouldNotBe(first);
        File.Move(root.PathOf("d/y"), root.PathOf("d/z"));
        builder.BuildInputs("T", ["d"]).Entries[0].Hash.ShouldNotBe(edited);
    }

    [Fact]
    public void A_missing_input_is_an_error_naming_target_and_path()
    {
        using var root = new CacheTestRoot();
        var error = Should.Throw<MissingPathException>(() => Builder(root).BuildInputs("Train", ["data/x.csv"]));
        error.Message.ShouldContain("Train");
        error.Message.ShouldContain("data/x.csv");
        error.DeclaredPath.ShouldBe(root.PathOf("data/x.csv"));
    }

    [Fact]
    public void A_glob_matching_nothing_is_an_error_naming_the_pattern()
    {
        using var root = new CacheTestRoot();
        root.Write("data/a.txt", "a");
        var error = Should.Throw<MissingPathException>(() => Builder(root).BuildInputs("Prepare", ["data/**/*.csv"]));
        error.Message.ShouldContain("data/**/*.csv");
    }
}

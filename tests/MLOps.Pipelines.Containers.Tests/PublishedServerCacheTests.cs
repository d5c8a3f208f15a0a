using MLOps.Pipelines.Containers.Publishing;

namespace MLOps.Pipelines.Containers.Tests;

/// <summary>
/// The content key of a server publish and the hard-linked view each pipeline gets of it. The concurrent publish
/// itself (two Package instances, one publish) is tested with the real server in the Serving tests' PackageSharingTests.
/// </summary>
public sealed class PublishedServerCacheTests : IDisposable
{
    readonly string _root = Path.Combine(Path.GetTempPath(), "mlops-publish-key-tests", Guid.NewGuid().ToString("N")[..8]);

    /// <summary>A server project referencing a library, with Directory.Build.props above both: a repository in small.</summary>
    string Repository(string name)
    {
        var repo = Path.Combine(_root, name);
        Write(repo, "Directory.Build.props", "<Project><PropertyGroup><Nullable>enable</Nullable></PropertyGroup></Project>");
        Write(repo, "global.json", """{ "sdk": { "version": "10.0.100" } }""");
        Write(repo, "src/Server/Server.csproj", """<Project Sdk="Microsoft.NET.Sdk"><ItemGroup><ProjectReference Include="..\Library\Library.csproj" /></ItemGroup></Project>""");
        Write(repo, "src/Server/Program.cs", "System.Console.WriteLine(Library.Name.Value);");
        Write(repo, "src/Library/Library.csproj", """<Project Sdk="Microsoft.NET.Sdk" />""");
        Write(repo, "src/Library/Features/Name.cs", "namespace Library; public static class Name { public const string Value = \"a\"; }");
        Write(repo, "src/Unrelated/Other.cs", "class Other { }");
        return Path.Combine(repo, "src", "Server", "Server.csproj");
    }

    static void Write(string root, string relative, string text)
    {
        var path = Path.Combine(root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    static string Key(string project, bool trimmed = false) => PublishedServerCache.KeyOf(project, trimmed, null);

    [Fact]
    public void Two_clones_of_the_same_sources_get_one_key_whatever_their_path_times_and_build_outputs()
    {
        var first = Repository("clone-a");
        var second = Repository("clone-b");
        File.SetLastWriteTimeUtc(Path.Combine(_root, "clone-b", "src", "Library", "Features", "Name.cs"), new DateTime(2001, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        Write(Path.Combine(_root, "clone-b"), "src/Library/obj/project.assets.json", "{}");
        Write(Path.Combine(_root, "clone-b"), "src/Server/bin/Release/Server.dll", "binary");
        Write(Path.Combine(_root, "clone-b"), "src/Unrelated/More.cs", "class More { }");

        Key(second).ShouldBe(Key(first));
        Key(first).Length.ShouldBe(32);
    }

    [Theory]
    [InlineData("src/Library/Features/Name.cs")]
    [InlineData("src/Library/Library.csproj")]
    [InlineData("src/Server/Program.cs")]
    [InlineData("Directory.Build.props")]
    [InlineData("global.json")]
    public void A_change_to_any_source_the_server_is_built_from_gives_a_new_key(string file)
    {
        var project = Repository("clone");
        var before = Key(project);
        File.AppendAllText(Path.Combine(_root, "clone", file), "\n");
        Key(project).ShouldNotBe(before, file);
    }

    [Fact]
    public void The_publish_settings_are_part_of_the_key_and_a_missing_project_is_named()
    {
        var project = Repository("clone");
        Key(project, trimmed: true).ShouldNotBe(Key(project));
        PublishedServerCache.KeyOf(project, false, new Dictionary<string, string> { ["A"] = "1" }).ShouldNotBe(Key(project));
        Should.Throw<FileNotFoundException>(() => Key(Path.Combine(_root, "none.csproj"))).Message.ShouldContain("none.csproj");
    }

    [Fact]
    public void A_view_holds_hard_links_to_the_publish_and_replaces_an_older_view()
    {
        var publish = Path.Combine(_root, "publish");
        Write(publish, "mlops-serve", "host");
        Write(publish, "runtimes/lib.so", "library");
        var view = Path.Combine(_root, "pipeline", "server");
        Write(view, "stale.dll", "from an older publish");

        HardLinkedDirectory.Create(publish, view).ShouldBe(0, "every file linked, none copied");

        Directory.GetFiles(view, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(view, f)).Order()
            .ShouldBe(["mlops-serve", Path.Combine("runtimes", "lib.so")]);
        // The same inode: a write through the publish's file shows in the view's.
        using (var stream = new FileStream(Path.Combine(publish, "runtimes", "lib.so"), FileMode.Open, FileAccess.Write))
            stream.Write("LIB"u8);
        File.ReadAllText(Path.Combine(view, "runtimes", "lib.so")).ShouldBe("LIBrary");
        Directory.GetDirectories(Path.Combine(_root, "pipeline")).ShouldBe([view], "no staging or old folder left behind");
    }

    public void Dispose()
    {
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { }
    }
}

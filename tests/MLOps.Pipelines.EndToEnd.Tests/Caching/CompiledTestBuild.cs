namespace MLOps.Pipelines.EndToEnd.Tests.Caching;

/// <summary>The incremental-build tests share one compile of the test build (~20 s); each test works on a fresh copy.</summary>
[CollectionDefinition(Name)]
public sealed class IncrementalBuildCollection : ICollectionFixture<CompiledTestBuild>
{
    public const string Name = "incremental builds";
}

/// <summary>
/// The test build compiled once; <see cref="NewRepository"/> hands out copies with the input data the incremental
/// pipeline reads (data/a.txt → Upper, Normalize; data/b.txt → Count; Upper + Count → Combine; Normalize → Summarize;
/// data/docs/ → Index).
/// </summary>
public sealed class CompiledTestBuild : IAsyncLifetime
{
    /// <summary>Every target of the incremental pipeline, as build.sh arguments.</summary>
    public const string Pipeline = "Upper Count Combine Normalize Summarize Index";

    public static readonly string[] PipelineTargets = Pipeline.Split(' ');

    readonly List<TestRepository> _handedOut = [];

    public TestRepository Template { get; } = new();

    public async Task InitializeAsync()
    {
        var compile = await Template.BuildAsync("--help");
        compile.ExitCode.ShouldBe(0, compile.StandardError);
    }

    /// <summary>A compiled copy with the pipeline's input data and nothing built yet.</summary>
    public TestRepository NewRepository()
    {
        var repository = Template.Clone();
        lock (_handedOut) _handedOut.Add(repository);
        repository.WriteFile("data/a.txt", "Hello world\n");
        repository.WriteFile("data/b.txt", "numbers 1 2 3\n");
        repository.WriteFile("data/docs/one.txt", "first\n");
        repository.WriteFile("data/docs/two.txt", "second\n");
        return repository;
    }

    public Task DisposeAsync()
    {
        foreach (var repository in _handedOut) repository.Dispose();
        Template.Dispose();
        return Task.CompletedTask;
    }
}

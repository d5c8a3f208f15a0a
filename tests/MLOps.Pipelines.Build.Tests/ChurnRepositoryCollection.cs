namespace MLOps.Pipelines.Build.Tests;

/// <summary>
/// The classes that copy the seeded churn repository share one seed and run one after another: each seed publishes the
/// model server with `dotnet publish` of the same project, and two publishes at once rewrite its obj/ under each other
/// (a server that exits on start: seen in CI when two class fixtures seeded in parallel).
/// </summary>
[CollectionDefinition(ChurnRepository.Collection)]
public sealed class ChurnRepositoryCollection : ICollectionFixture<ChurnRepository>;

using MLOps.Pipelines.ML.Registry;

namespace MLOps.Pipelines.ML.Tests.Registry;

/// <summary>A registry in a temporary repository-like folder, with a clock that ticks one minute per reading.</summary>
internal sealed class RegistryFixture : IDisposable
{
    readonly TemporaryDirectory _root = new();
    int _models;

    public RegistryFixture(string user = "alice")
    {
        Clock = new MinuteClock(new DateTimeOffset(2025, 3, 1, 9, 0, 0, TimeSpan.Zero));
        Blobs = FileSystemModelBlobStore.ForRepository(Root);
        Registry = ModelRegistry.ForModel(Root, "flight-delays", Blobs, new ModelRegistryOptions { Clock = Clock, User = user });
    }

    public AbsolutePath Root => _root.Path;
    public MinuteClock Clock { get; }
    public FileSystemModelBlobStore Blobs { get; }
    public ModelRegistry Registry { get; }

    public AbsolutePath ModelFile(string content) => _root.WriteFile($"artifacts/model-{_models++}.zip", content);

    /// <summary>Registers a model whose only metrics are the given AUC and log-loss.</summary>
    public ModelVersion Register(double auc, double logLoss = 0.4, string content = "")
    {
        var model = ModelFile(content.Length > 0 ? content : $"model with auc {auc} #{_models}");
        return Registry.Register(new ModelRegistration(
            model,
            new Dictionary<string, string> { ["train"] = new string('1', 64) },
            "fp-" + auc,
            new Dictionary<string, string> { ["trees"] = "200" },
            new Dictionary<string, double> { ["auc"] = auc, ["log_loss"] = logLoss },
            GitCommit: "unknown"));
    }

    public void Dispose() => _root.Dispose();
}

internal sealed class MinuteClock(DateTimeOffset start) : TimeProvider
{
    DateTimeOffset _next = start;

    public override DateTimeOffset GetUtcNow()
    {
        var now = _next;
        _next = _next.AddMinutes(1);
        return now;
    }
}

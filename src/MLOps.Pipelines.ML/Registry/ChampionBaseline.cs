using MLOps.Pipelines.ML.Evaluation;

namespace MLOps.Pipelines.ML.Registry;

/// <summary>
/// The registered champion a model is measured against: the champion, or — when the champion is this very model (it
/// was registered and promoted after it was evaluated) — the champion it replaced. So Register promoting the model it
/// just evaluated does not change what Evaluate compared with (no re-run), while a champion moved to another model
/// (a rollback, a promotion by hand, another branch's registration) does.
/// </summary>
public static class ChampionBaseline
{
    /// <summary>The champion to compare <paramref name="modelSha256"/> with on <paramref name="metric"/>; null when there is none (or it lacks the metric).</summary>
    public static ChampionModel? Of(ModelRegistry registry, string modelSha256, string metric)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentException.ThrowIfNullOrWhiteSpace(metric);
        var tenures = registry.Tenures(ModelAliases.Champion);
        for (var i = tenures.Count - 1; i >= 0; i--)
        {
            var champion = registry.Get(tenures[i]);
            if (champion.ModelSha256 == modelSha256) continue;
            return champion.Metrics.TryGetValue(metric, out var value) ? new ChampionModel($"v{champion.Version}", value) { ModelSha256 = champion.ModelSha256 } : null;
        }
        return null;
    }

    /// <summary>The SHA-256 of a model file, as the registry records it.</summary>
    public static string Sha256Of(string modelPath) => Sha256Digest.OfFile(modelPath);
}

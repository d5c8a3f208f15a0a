using MLOps.Pipelines.ML.Artifacts;
using MLOps.Pipelines.ML.Registry;
using MLOps.Pipelines.ML.Tasks;
using System.Globalization;

namespace MLOps.Pipelines.ML.Stages;

/// <summary>What Register records about a model besides its file.</summary>
/// <param name="Why">Why the model was trained (e.g. the retraining decision), kept in the challenger's alias history.</param>
public sealed record RegisterRequest(
    string ModelPath,
    TrainingLineage Lineage,
    IReadOnlyDictionary<string, double> Metrics,
    bool GatePassed,
    PromotionPolicy Policy,
    string? GitCommit = null,
    string? Why = null);

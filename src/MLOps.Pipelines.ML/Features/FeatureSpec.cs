using MLOps.Pipelines.ML.Tasks;

namespace MLOps.Pipelines.ML.Features;

/// <summary>
/// Which columns of a prepared Parquet file (<c>train.parquet</c>, <c>test.parquet</c>, batches) the model uses:
/// the label (bool for a binary task, string for a multiclass one), numeric features (float32, NaN = missing) and categorical features (string, null = missing).
/// </summary>
public sealed record FeatureSpec(string Label, IReadOnlyList<string> Numeric, IReadOnlyList<string> Categorical)
{
    /// <summary>Columns to slice metrics by for fairness (each is also a numeric or categorical feature).</summary>
    public IReadOnlyList<string> Groups { get; init; } = [];

    /// <summary>Binary (bool label) or multiclass (string label).</summary>
    public TaskKind Task { get; init; } = TaskKind.Binary;

    /// <summary>The task with its metrics.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public ModelTask ModelTask => ModelTask.Of(Task);

    /// <summary>Numeric then categorical feature names.</summary>
    public IReadOnlyList<string> Features => [.. Numeric, .. Categorical];
}

using Microsoft.ML;

namespace MLOps.Pipelines.ML.Evaluation;

/// <param name="GroupColumns">Columns to slice by for fairness metrics (need not be features).</param>
/// <param name="MaxGroupsPerColumn">Most frequent values kept per group column; the rest pooled as "(other)".</param>
public sealed record EvaluationOptions(IReadOnlyList<string> GroupColumns, double Threshold = 0.5, int MaxGroupsPerColumn = 10)
{
    public static EvaluationOptions Default { get; } = new([]);
}

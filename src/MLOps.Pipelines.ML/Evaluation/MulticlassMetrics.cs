namespace MLOps.Pipelines.ML.Evaluation;

/// <summary>
/// Multiclass metrics of per-class probabilities, the predicted class being the most probable one.
/// <see cref="MicroAccuracy"/> is the share of rows predicted right; <see cref="MacroAccuracy"/> the mean per-class
/// recall; <see cref="MacroF1"/> the mean per-class F1; <see cref="LogLoss"/> the mean natural-log loss of the true
/// class's probability (clipped at 1e-15, as scikit-learn). <see cref="Confusion"/>[actual][predicted] counts rows, in
/// the order of <see cref="Classes"/>.
/// </summary>
public sealed record MulticlassMetrics(
    long Rows,
    IReadOnlyList<string> Classes,
    double MicroAccuracy,
    double MacroAccuracy,
    double MacroF1,
    double LogLoss,
    IReadOnlyList<ClassMetrics> PerClass,
    IReadOnlyList<IReadOnlyList<long>> Confusion);

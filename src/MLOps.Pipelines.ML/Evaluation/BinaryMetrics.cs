namespace MLOps.Pipelines.ML.Evaluation;

/// <summary>
/// Binary classification metrics of calibrated probabilities. <see cref="PrAuc"/> is average precision (the
/// step-wise area under the precision-recall curve, as scikit-learn computes it); <see cref="LogLoss"/> uses the
/// natural logarithm (as scikit-learn; ML.NET's own log-loss is in bits).
/// </summary>
public sealed record BinaryMetrics(
    long Rows,
    double PositiveRate,
    double Threshold,
    double Auc,
    double PrAuc,
    double Accuracy,
    double Precision,
    double Recall,
    double F1,
    double LogLoss,
    double Brier,
    ConfusionMatrix Confusion);

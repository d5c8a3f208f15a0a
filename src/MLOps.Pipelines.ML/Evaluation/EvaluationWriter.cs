using MLOps.Pipelines.ML.Artifacts;

namespace MLOps.Pipelines.ML.Evaluation;

/// <summary>Writes metrics.json and the four plots into a folder, each file atomically (old outputs survive a failure).</summary>
public static class EvaluationWriter
{
    public static EvaluationFiles Write(EvaluationResult result, string directory)
    {
        Directory.CreateDirectory(directory);
        var files = new EvaluationFiles(
            Path.Combine(directory, MetricsReport.FileName),
            Path.Combine(directory, "roc.png"),
            Path.Combine(directory, "precision-recall.png"),
            Path.Combine(directory, "calibration.png"),
            Path.Combine(directory, "score-histogram.png"));

        // Render everything first so that a plotting failure replaces no file.
        var outputs = new (string Path, byte[] Bytes)[]
        {
            (files.MetricsJson, System.Text.Encoding.UTF8.GetBytes(MetricsReport.From(result.Metrics, result.Groups).ToString())),
            (files.RocPng, EvaluationPlots.Roc(result.Curves, result.Metrics.Auc)),
            (files.PrecisionRecallPng, EvaluationPlots.PrecisionRecall(result.Curves, result.Metrics.PrAuc, result.Metrics.PositiveRate)),
            (files.CalibrationPng, EvaluationPlots.Calibration(result.Curves)),
            (files.ScoreHistogramPng, EvaluationPlots.ScoreHistogram(result.Curves.Histogram)),
        };
        foreach (var (path, bytes) in outputs) AtomicFile.WriteAllBytes(path, bytes);
        return files;
    }

    /// <summary>metrics.json and the confusion matrix of a multiclass model.</summary>
    public static MulticlassEvaluationFiles Write(MulticlassMetrics metrics, string directory)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        Directory.CreateDirectory(directory);
        var files = new MulticlassEvaluationFiles(Path.Combine(directory, MetricsReport.FileName), Path.Combine(directory, ConfusionMatrixPng));
        var png = EvaluationPlots.ConfusionMatrix(metrics);
        AtomicFile.WriteAllText(files.MetricsJson, MetricsReport.From(metrics).ToString());
        AtomicFile.WriteAllBytes(files.ConfusionMatrixPng, png);
        return files;
    }

    public const string ConfusionMatrixPng = "confusion-matrix.png";
}

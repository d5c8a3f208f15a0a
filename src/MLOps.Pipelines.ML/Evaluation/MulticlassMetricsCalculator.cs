namespace MLOps.Pipelines.ML.Evaluation;

/// <summary>Pure multiclass metrics from true classes and per-class probabilities.</summary>
public static class MulticlassMetricsCalculator
{
    const double Epsilon = 1e-15;

    /// <param name="classes">The model's classes, in the order of each probability vector.</param>
    /// <param name="labels">The true class of each row; a class the model does not know counts as a wrong prediction.</param>
    public static MulticlassMetrics Compute(IReadOnlyList<string> classes, IReadOnlyList<string> labels, IReadOnlyList<float[]> probabilities)
    {
        ArgumentNullException.ThrowIfNull(classes);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(probabilities);
        if (classes.Count < 2) throw new ArgumentException($"A multiclass model needs at least 2 classes, got {classes.Count}.", nameof(classes));
        if (labels.Count != probabilities.Count)
            throw new ArgumentException($"{labels.Count} labels but {probabilities.Count} probability rows.", nameof(probabilities));
        if (labels.Count == 0) throw new ArgumentException("Cannot evaluate on zero rows.", nameof(labels));

        var index = classes.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => p.i, StringComparer.Ordinal);
        var confusion = classes.Select(_ => new long[classes.Count]).ToArray();
        long correct = 0;
        double loss = 0;
        for (var row = 0; row < labels.Count; row++)
        {
            var p = probabilities[row];
            if (p.Length != classes.Count)
                throw new ArgumentException($"Row {row} has {p.Length} probabilities for {classes.Count} classes.", nameof(probabilities));
            var predicted = ArgMax(p);
            if (!index.TryGetValue(labels[row], out var actual))
            {
                loss -= Math.Log(Epsilon);
                continue;
            }

            confusion[actual][predicted]++;
            if (actual == predicted) correct++;
            loss -= Math.Log(Math.Clamp(p[actual], Epsilon, 1.0));
        }

        var perClass = classes.Select((c, k) =>
        {
            long support = confusion[k].Sum();
            long predictedK = confusion.Sum(r => r[k]);
            long tp = confusion[k][k];
            var precision = predictedK == 0 ? 0 : (double)tp / predictedK;
            var recall = support == 0 ? 0 : (double)tp / support;
            var f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
            return new ClassMetrics(c, support, precision, recall, f1);
        }).ToArray();
        // Classes absent from the test rows have no recall to average; they still count in macro-F1 if predicted.
        var present = perClass.Where(c => c.Support > 0).ToArray();
        var scored = perClass.Where((c, k) => c.Support > 0 || confusion.Any(r => r[k] > 0)).ToArray();
        long rows = labels.Count;
        return new MulticlassMetrics(
            rows,
            classes,
            (double)correct / rows,
            present.Length == 0 ? 0 : present.Average(c => c.Recall),
            scored.Length == 0 ? 0 : scored.Average(c => c.F1),
            loss / rows,
            perClass,
            confusion.Select(r => (IReadOnlyList<long>)r).ToArray());
    }

    /// <summary>The first most probable class (ties go to the earlier class, as ML.NET).</summary>
    public static int ArgMax(float[] probabilities)
    {
        var best = 0;
        for (var i = 1; i < probabilities.Length; i++) if (probabilities[i] > probabilities[best]) best = i;
        return best;
    }
}

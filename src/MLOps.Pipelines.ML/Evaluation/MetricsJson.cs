using System.Text;
using System.Text.Json;

namespace MLOps.Pipelines.ML.Evaluation;

/// <summary>
/// metrics.json: a fixed key order and values rounded to 6 decimals, so that the file diffs cleanly in git and a
/// re-run with the same model writes the same bytes.
/// </summary>
public static class MetricsJson
{
    public static string Serialize(BinaryMetrics m, IReadOnlyList<GroupMetrics> groups)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteNumber("rows", m.Rows);
            Number(w, "positive_rate", m.PositiveRate);
            Number(w, "threshold", m.Threshold);
            Number(w, "auc", m.Auc);
            Number(w, "pr_auc", m.PrAuc);
            Number(w, "accuracy", m.Accuracy);
            Number(w, "precision", m.Precision);
            Number(w, "recall", m.Recall);
            Number(w, "f1", m.F1);
            Number(w, "log_loss", m.LogLoss);
            Number(w, "brier", m.Brier);
            w.WriteStartObject("confusion_matrix");
            w.WriteNumber("tp", m.Confusion.TruePositives);
            w.WriteNumber("fp", m.Confusion.FalsePositives);
            w.WriteNumber("tn", m.Confusion.TrueNegatives);
            w.WriteNumber("fn", m.Confusion.FalseNegatives);
            w.WriteEndObject();
            w.WriteStartObject("groups");
            foreach (var g in groups)
            {
                w.WriteStartObject(g.Column);
                Number(w, "demographic_parity_difference", g.DemographicParityDifference);
                Number(w, "equal_opportunity_difference", g.EqualOpportunityDifference);
                w.WriteStartObject("slices");
                foreach (var s in g.Slices)
                {
                    w.WriteStartObject(s.Value);
                    w.WriteNumber("rows", s.Rows);
                    Number(w, "positive_rate", s.PositiveRate);
                    Number(w, "predicted_positive_rate", s.PredictedPositiveRate);
                    Number(w, "true_positive_rate", s.TruePositiveRate);
                    Number(w, "auc", s.Auc);
                    w.WriteEndObject();
                }

                w.WriteEndObject();
                w.WriteEndObject();
            }

            w.WriteEndObject();
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    private static void Number(Utf8JsonWriter w, string name, double? value)
    {
        if (value is null || double.IsNaN(value.Value)) w.WriteNull(name);
        else w.WriteNumber(name, Math.Round(value.Value, 6));
    }
}

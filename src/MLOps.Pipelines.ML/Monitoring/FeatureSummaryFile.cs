using System.Text.Json;
using System.Text.Json.Serialization;

namespace MLOps.Pipelines.ML.Monitoring;

/// <summary>
/// Per-feature summaries as a JSON file, the form in which live traffic reaches Monitor instead of raw rows:
/// <code>
/// { "format": "feature-summaries/1", "rows": 1200,
///   "features": {
///     "distance": { "kind": "numeric", "edges": [0, 500, 1000, 6000], "counts": [400, 500, 300], "missing": 0 },
///     "origin":   { "kind": "categorical", "counts": { "ATL": 700, "ORD": 500 }, "missing": 0 } } }
/// </code>
/// Numeric bins are [e0, e1), …, [e(n-1), en]; a producer counts values below the first edge in the first bin and above
/// the last in the last. <see cref="ReferenceEdges"/> gives the edges a producer should use (the reference's), so the
/// comparison loses nothing to re-binning.
/// </summary>
public static class FeatureSummaryFile
{
    public const string Format = "feature-summaries/1";

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>Reads a summaries file as a binned profile; throws <see cref="InvalidDataException"/> naming the file, feature and field.</summary>
    public static FeatureProfile Read(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: the feature summaries file does not exist", path);
        SummaryDocument? document;
        try
        {
            document = JsonSerializer.Deserialize<SummaryDocument>(File.ReadAllText(path), Json);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not a feature summaries file ({e.Message}); expected JSON with \"format\": \"{Format}\"", e);
        }
        if (document is null || document.Format != Format)
            throw new InvalidDataException($"{path}: \"format\" is '{document?.Format}', expected '{Format}'");
        if (document.Features is null || document.Features.Count == 0) throw new InvalidDataException($"{path}: \"features\" is missing or empty");

        var numeric = new Dictionary<string, NumericDistribution>(StringComparer.Ordinal);
        var categorical = new Dictionary<string, CategoricalDistribution>(StringComparer.Ordinal);
        foreach (var (name, summary) in document.Features)
        {
            var where = $"{path}: feature '{name}'";
            var missing = summary.Missing ?? 0;
            if (missing < 0) throw new InvalidDataException($"{where}: \"missing\" is negative");
            switch (summary.Kind)
            {
                case "numeric":
                    if (summary.Edges is null || summary.Counts is null) throw new InvalidDataException($"{where}: a numeric summary needs \"edges\" and \"counts\" (a JSON array of bin counts)");
                    var counts = summary.Counts.Value.ValueKind == JsonValueKind.Array
                        ? summary.Counts.Value.Deserialize<long[]>(Json)!
                        : throw new InvalidDataException($"{where}: numeric \"counts\" must be an array with one count per bin");
                    try
                    {
                        numeric[name] = NumericDistribution.Binned(summary.Edges, counts, missing);
                    }
                    catch (ArgumentException e)
                    {
                        throw new InvalidDataException($"{where}: {e.Message}", e);
                    }
                    break;
                case "categorical":
                    var values = summary.Counts is { ValueKind: JsonValueKind.Object } c
                        ? c.Deserialize<Dictionary<string, long>>(Json)!
                        : throw new InvalidDataException($"{where}: categorical \"counts\" must be an object of value → count");
                    if (values.Values.Any(v => v < 0)) throw new InvalidDataException($"{where}: a category count is negative");
                    categorical[name] = new CategoricalDistribution(values, missing);
                    break;
                default:
                    throw new InvalidDataException($"{where}: \"kind\" is '{summary.Kind}', expected 'numeric' or 'categorical'");
            }
        }
        var rows = document.Rows ?? numeric.Values.Select(n => n.Total + n.Missing).Concat(categorical.Values.Select(c => c.Total + c.Missing)).DefaultIfEmpty(0).Max();
        return new FeatureProfile(rows, numeric, categorical);
    }

    /// <summary>Writes a profile as summaries, binning each numeric feature with the given edges (see <see cref="ReferenceEdges"/>).</summary>
    public static void Write(string path, FeatureProfile profile, IReadOnlyDictionary<string, IReadOnlyList<double>> edges)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(edges);
        var features = new SortedDictionary<string, FeatureSummary>(StringComparer.Ordinal);
        foreach (var (name, distribution) in profile.Numeric)
        {
            if (!edges.TryGetValue(name, out var e)) throw new ArgumentException($"no bin edges given for numeric feature '{name}'", nameof(edges));
            var counts = distribution.CountsIn(e).Select(c => (long)Math.Round(c)).ToArray();
            features[name] = new FeatureSummary("numeric", e.ToArray(), JsonSerializer.SerializeToElement(counts), distribution.Missing);
        }
        foreach (var (name, distribution) in profile.Categorical)
            features[name] = new FeatureSummary("categorical", null, JsonSerializer.SerializeToElement(distribution.Counts), distribution.Missing);
        MLOps.Pipelines.AtomicFile.WriteAllText(path, JsonSerializer.Serialize(new SummaryDocument(Format, profile.Rows, features), Json) + "\n");
    }

    /// <summary>
    /// Bin edges for each numeric feature of a reference: with at most <paramref name="bins"/> distinct values, one bin
    /// per value (edges halfway between neighbours); otherwise <paramref name="bins"/> equal-width bins over its range.
    /// </summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<double>> ReferenceEdges(FeatureProfile reference, int bins = 30)
    {
        ArgumentNullException.ThrowIfNull(reference);
        if (bins < 1) throw new ArgumentOutOfRangeException(nameof(bins), bins, "at least one bin");
        var result = new SortedDictionary<string, IReadOnlyList<double>>(StringComparer.Ordinal);
        foreach (var (name, d) in reference.Numeric)
        {
            if (d.Distinct == 0) { result[name] = [0.0, 1.0]; continue; }
            if (d.IsBinned) { result[name] = d.Points.ToArray(); continue; }
            if (d.Distinct <= bins)
            {
                var p = d.Points;
                var edges = new List<double> { p.Count == 1 ? p[0] - 0.5 : p[0] - ((p[1] - p[0]) / 2) };
                for (var i = 0; i + 1 < p.Count; i++) edges.Add((p[i] + p[i + 1]) / 2);
                edges.Add(p.Count == 1 ? p[0] + 0.5 : p[^1] + ((p[^1] - p[^2]) / 2));
                result[name] = edges;
            }
            else result[name] = Enumerable.Range(0, bins + 1).Select(i => d.Min + ((d.Max - d.Min) * i / bins)).ToArray();
        }
        return result;
    }

    private sealed record SummaryDocument(string? Format, long? Rows, IDictionary<string, FeatureSummary>? Features);

    private sealed record FeatureSummary(string? Kind, double[]? Edges, JsonElement? Counts, long? Missing);
}

using System.Text.Json;
using System.Text.Json.Serialization;

namespace MLOps.Pipelines.ML.Monitoring;

/// <summary>
/// Per-feature summaries as a JSON file, the form in which live traffic reaches Monitor instead of raw rows (the model
/// server's <c>GET /live/{name}/summary</c> writes it with <see cref="Serialize"/>, Monitor reads it with <see cref="Read"/>):
/// <code>
/// { "format": "feature-summaries/1", "rows": 1200, "source": "customer-churn v3 (live)",
///   "features": {
///     "distance": { "kind": "numeric", "edges": [0, 500, 1000, 6000], "counts": [400, 500, 300], "missing": 0 },
///     "tenure":   { "kind": "numeric", "values": [1, 2, 72], "counts": [300, 200, 700], "missing": 0 },
///     "origin":   { "kind": "categorical", "counts": { "ATL": 700, "ORD": 500 }, "missing": 0 } } }
/// </code>
/// A numeric feature is either binned (<c>edges</c>: bins [e0, e1), …, [e(n-1), en]; a producer counts values below the
/// first edge in the first bin and above the last in the last) or exact (<c>values</c>: each distinct value with its
/// count, lossless). <see cref="ReferenceEdges"/> gives the edges a binning producer should use (the reference's), so
/// the comparison loses nothing to re-binning. <c>source</c> is optional and informative.
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

    /// <summary>Reads a summaries file as a profile; throws <see cref="InvalidDataException"/> naming the file, feature and field.</summary>
    public static FeatureProfile Read(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: the feature summaries file does not exist", path);
        return Parse(File.ReadAllText(path), path);
    }

    /// <summary>Parses summaries JSON; <paramref name="path"/> names its origin (a file or URL) in every error.</summary>
    public static FeatureProfile Parse(string json, string path)
    {
        ArgumentNullException.ThrowIfNull(json);
        SummaryDocument? document;
        try
        {
            document = JsonSerializer.Deserialize<SummaryDocument>(json, Json);
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
                    if ((summary.Edges is null) == (summary.Values is null) || summary.Counts is null)
                        throw new InvalidDataException($"{where}: a numeric summary needs \"counts\" (a JSON array) and either \"edges\" (binned) or \"values\" (exact)");
                    var counts = summary.Counts.Value.ValueKind == JsonValueKind.Array
                        ? summary.Counts.Value.Deserialize<long[]>(Json)!
                        : throw new InvalidDataException($"{where}: numeric \"counts\" must be an array with one count per bin or value");
                    try
                    {
                        numeric[name] = summary.Edges is { } e ? NumericDistribution.Binned(e, counts, missing) : Exact(summary.Values!, counts, missing);
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
        foreach (var name in profile.Numeric.Keys)
            if (!edges.ContainsKey(name)) throw new ArgumentException($"no bin edges given for numeric feature '{name}'", nameof(edges));
        MLOps.Pipelines.AtomicFile.WriteAllText(path, Serialize(profile, null, edges));
    }

    /// <summary>
    /// A profile as summaries JSON, each numeric feature as it is held (exact values, or its own bins) unless
    /// <paramref name="edges"/> names bins for it; <paramref name="source"/> says where it comes from.
    /// </summary>
    public static string Serialize(FeatureProfile profile, string? source = null, IReadOnlyDictionary<string, IReadOnlyList<double>>? edges = null)
    {
        ArgumentNullException.ThrowIfNull(profile);
        var features = new SortedDictionary<string, FeatureSummary>(StringComparer.Ordinal);
        foreach (var (name, distribution) in profile.Numeric)
        {
            if (edges is not null && edges.TryGetValue(name, out var e))
            {
                var counts = distribution.CountsIn(e).Select(c => (long)Math.Round(c)).ToArray();
                features[name] = new FeatureSummary("numeric", e.ToArray(), null, JsonSerializer.SerializeToElement(counts), distribution.Missing);
            }
            else
            {
                var points = distribution.Points.ToArray();
                var counts = JsonSerializer.SerializeToElement(distribution.Counts);
                features[name] = distribution.IsBinned
                    ? new FeatureSummary("numeric", points, null, counts, distribution.Missing)
                    : new FeatureSummary("numeric", null, points, counts, distribution.Missing);
            }
        }
        foreach (var (name, distribution) in profile.Categorical)
            features[name] = new FeatureSummary("categorical", null, null, JsonSerializer.SerializeToElement(distribution.Counts), distribution.Missing);
        return JsonSerializer.Serialize(new SummaryDocument(Format, profile.Rows, source, features), Json) + "\n";
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

    private static NumericDistribution Exact(double[] values, long[] counts, long missing)
    {
        if (values.Length != counts.Length) throw new ArgumentException($"exact \"values\" and \"counts\" must be as long as each other, got {values.Length} values and {counts.Length} counts");
        var exact = new Dictionary<double, long>();
        for (var i = 0; i < values.Length; i++)
        {
            if (!double.IsFinite(values[i])) throw new ArgumentException($"value {i} is not a finite number");
            if (counts[i] < 0) throw new ArgumentException("value counts must not be negative");
            if (!exact.TryAdd(values[i], counts[i])) throw new ArgumentException($"value {values[i]} is listed twice");
        }
        return NumericDistribution.Exact(exact, missing);
    }

    private sealed record SummaryDocument(string? Format, long? Rows, string? Source, IDictionary<string, FeatureSummary>? Features);

    private sealed record FeatureSummary(string? Kind, double[]? Edges, double[]? Values, JsonElement? Counts, long? Missing);
}

using System.Globalization;

namespace MLOps.Pipelines.ML.Monitoring;

/// <summary>Compares a batch's feature profile with the reference's, feature by feature (a pure function of the two profiles).</summary>
public static class DriftDetector
{
    private const int MaxBuckets = 40;

    public static DriftReport Compare(FeatureProfile reference, FeatureProfile current, DriftOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(current);
        options ??= DriftOptions.Default;
        options.Validate();
        var unknownSeasonal = options.SeasonalFeatures.FirstOrDefault(f => !reference.Features.Contains(f));
        if (unknownSeasonal is not null)
            throw new ArgumentException($"seasonal feature '{unknownSeasonal}' is not a feature of the reference ({string.Join(", ", reference.Features)}); fix the seasonal feature list");

        var features = new List<FeatureDrift>();
        foreach (var (name, r) in reference.Numeric)
        {
            if (!current.Numeric.TryGetValue(name, out var c))
                throw new InvalidDataException($"the batch has no numeric feature '{name}' (it has: {string.Join(", ", current.Features)}); a batch must carry every reference feature");
            features.Add(CompareNumeric(name, r, c, RoleOf(name, options), options));
        }
        foreach (var (name, r) in reference.Categorical)
        {
            if (!current.Categorical.TryGetValue(name, out var c))
                throw new InvalidDataException($"the batch has no categorical feature '{name}' (it has: {string.Join(", ", current.Features)}); a batch must carry every reference feature");
            features.Add(CompareCategorical(name, r, c, RoleOf(name, options), options));
        }
        return new DriftReport(reference.Rows, current.Rows, options.DriftShare, features);
    }

    private static FeatureRole RoleOf(string feature, DriftOptions options) =>
        options.SeasonalFeatures.Contains(feature) ? FeatureRole.Seasonal : FeatureRole.Regular;

    private static FeatureDrift CompareNumeric(string name, NumericDistribution r, NumericDistribution c, FeatureRole role, DriftOptions options)
    {
        var asCategorical = !r.IsBinned && r.Distinct <= options.CategoricalMaxUnique;
        var (labels, rc, cc) = NumericBuckets(r, c, options);
        // A binned side (a live summary) is compared with the other side binned the same way: a step CDF against a
        // linear one would show a difference where the data has none.
        var (rs, cs) = (r.IsBinned, c.IsBinned) switch
        {
            (false, true) => (Rebin(r, c.Points), c),
            (true, false) => (r, Rebin(c, r.Points)),
            _ => (r, c),
        };
        var ks = DriftStatistics.KolmogorovSmirnov(rs, cs);
        var (_, sd) = r.Moments();
        var wasserstein = DriftStatistics.Wasserstein(rs, cs) / Math.Max(double.IsNaN(sd) ? 0 : sd, 0.001);
        var chi = asCategorical || options.Method == DriftMethod.ChiSquare ? DriftStatistics.ChiSquare(rc, cc) : null;
        var small = r.Total <= options.SmallReferenceRows;
        var method = options.Method switch
        {
            DriftMethod.Auto when asCategorical => small ? DriftMethod.ChiSquare : DriftMethod.JensenShannon,
            DriftMethod.Auto => small ? DriftMethod.KolmogorovSmirnov : DriftMethod.Wasserstein,
            var m => m,
        };
        return Build(name, "numeric", asCategorical, role, method, labels, rc, cc, chi, ks, wasserstein, r.Total, c.Total, r.Missing, c.Missing, options);
    }

    private static FeatureDrift CompareCategorical(string name, CategoricalDistribution r, CategoricalDistribution c, FeatureRole role, DriftOptions options)
    {
        var labels = r.Counts.Keys.Union(c.Counts.Keys, StringComparer.Ordinal)
            .OrderByDescending(k => r.Counts.GetValueOrDefault(k)).ThenBy(k => k, StringComparer.Ordinal).ToArray();
        var rc = labels.Select(k => (double)r.Counts.GetValueOrDefault(k)).ToArray();
        var cc = labels.Select(k => (double)c.Counts.GetValueOrDefault(k)).ToArray();
        var small = r.Total <= options.SmallReferenceRows;
        var method = options.Method switch
        {
            DriftMethod.Auto => small ? DriftMethod.ChiSquare : DriftMethod.JensenShannon,
            DriftMethod.KolmogorovSmirnov => DriftMethod.ChiSquare,
            DriftMethod.Wasserstein => DriftMethod.JensenShannon,
            var m => m,
        };
        return Build(name, "categorical", true, role, method, labels, rc, cc, DriftStatistics.ChiSquare(rc, cc), null, null, r.Total, c.Total, r.Missing, c.Missing, options);
    }

    private static FeatureDrift Build(
        string name, string kind, bool asCategorical, FeatureRole role, DriftMethod method,
        string[] labels, double[] rc, double[] cc, TestResult? chi, TestResult? ks, double? wasserstein,
        long referenceRows, long currentRows, long referenceMissing, long currentMissing, DriftOptions options)
    {
        var psi = DriftStatistics.PopulationStabilityIndex(rc, cc);
        var js = DriftStatistics.JensenShannonDistance(rc, cc);
        var (score, threshold, drifted) = method switch
        {
            DriftMethod.Psi => (psi, options.PsiSignificant, psi >= options.PsiSignificant),
            DriftMethod.KolmogorovSmirnov => (ks!.PValue, options.PValue, ks.PValue < options.PValue),
            DriftMethod.ChiSquare => (chi!.PValue, options.PValue, chi.PValue < options.PValue),
            DriftMethod.Wasserstein => (wasserstein!.Value, options.DistanceThreshold, wasserstein.Value >= options.DistanceThreshold),
            _ => (js, options.DistanceThreshold, js >= options.DistanceThreshold),
        };
        var psiLevel = psi >= options.PsiSignificant ? "significant" : psi >= options.PsiNotable ? "notable" : "stable";
        return new FeatureDrift(name, kind, asCategorical, role, MethodName(method), score, threshold, drifted, psi, psiLevel, js, chi, ks, wasserstein,
            referenceRows, currentRows, referenceMissing, currentMissing, Buckets(labels, rc, cc));
    }

    private static NumericDistribution Rebin(NumericDistribution exact, IReadOnlyList<double> edges) =>
        NumericDistribution.Binned(edges, exact.CountsIn(edges).Select(x => (long)Math.Round(x)).ToArray(), exact.Missing);

    internal static string MethodName(DriftMethod method) => method switch
    {
        DriftMethod.Psi => "psi",
        DriftMethod.KolmogorovSmirnov => "ks_p_value",
        DriftMethod.ChiSquare => "chi_square_p_value",
        DriftMethod.Wasserstein => "wasserstein_normed",
        _ => "jensen_shannon",
    };

    /// <summary>The buckets PSI, Jensen–Shannon and chi-square compare numeric features on (see <see cref="DriftOptions.Bins"/>).</summary>
    private static (string[] Labels, double[] Reference, double[] Current) NumericBuckets(NumericDistribution r, NumericDistribution c, DriftOptions options)
    {
        if (!r.IsBinned && !c.IsBinned && r.Distinct <= options.BinnedAboveUnique)
        {
            var values = r.Points.Union(c.Points).Order().ToArray();
            var rm = Enumerable.Range(0, r.Distinct).ToDictionary(i => r.Points[i], i => (double)r.Counts[i]);
            var cm = Enumerable.Range(0, c.Distinct).ToDictionary(i => c.Points[i], i => (double)c.Counts[i]);
            return (values.Select(Format).ToArray(), values.Select(v => rm.GetValueOrDefault(v)).ToArray(), values.Select(v => cm.GetValueOrDefault(v)).ToArray());
        }
        IReadOnlyList<double> edges;
        if (c.IsBinned) edges = c.Points;
        else if (r.IsBinned) edges = r.Points;
        else
        {
            double lo = Math.Min(r.Min, c.Min), hi = Math.Max(r.Max, c.Max);
            if (double.IsNaN(lo) || double.IsNaN(hi)) { lo = 0; hi = 1; }
            if (hi <= lo) hi = lo + 1;
            edges = Enumerable.Range(0, options.Bins + 1).Select(i => lo + ((hi - lo) * i / options.Bins)).ToArray();
        }
        var labels = Enumerable.Range(0, edges.Count - 1).Select(i => $"[{Format(edges[i])}, {Format(edges[i + 1])}{(i == edges.Count - 2 ? "]" : ")")}").ToArray();
        return (labels, r.CountsIn(edges), c.CountsIn(edges));
    }

    private static IReadOnlyList<DistributionBucket> Buckets(string[] labels, double[] rc, double[] cc)
    {
        double rt = Math.Max(1e-300, rc.Sum()), ct = Math.Max(1e-300, cc.Sum());
        var buckets = labels.Select((l, i) => new DistributionBucket(l, Math.Round(rc[i] / rt, 6), Math.Round(cc[i] / ct, 6))).ToList();
        if (buckets.Count <= MaxBuckets) return buckets;
        // Many categories (airports): keep the largest in either data set, pool the rest.
        var kept = buckets.OrderByDescending(b => Math.Max(b.ReferenceShare, b.CurrentShare)).Take(MaxBuckets - 1).ToHashSet();
        var rest = buckets.Where(b => !kept.Contains(b)).ToList();
        return [.. buckets.Where(kept.Contains), new DistributionBucket($"(other {rest.Count})", Math.Round(rest.Sum(b => b.ReferenceShare), 6), Math.Round(rest.Sum(b => b.CurrentShare), 6))];
    }

    private static string Format(double value) => value.ToString("0.####", CultureInfo.InvariantCulture);
}

namespace MLOps.Pipelines.ML.Monitoring;

/// <summary>Which statistic decides whether one feature drifted.</summary>
public enum DriftMethod
{
    /// <summary>
    /// Evidently's default choice: for a reference of at most <see cref="DriftOptions.SmallReferenceRows"/> rows,
    /// Kolmogorov–Smirnov (numeric) or chi-square (categorical) at p &lt; <see cref="DriftOptions.PValue"/>; for a
    /// larger one, normalised Wasserstein (numeric) or Jensen–Shannon (categorical) ≥ <see cref="DriftOptions.DistanceThreshold"/>.
    /// A numeric feature with at most <see cref="DriftOptions.CategoricalMaxUnique"/> distinct reference values counts as categorical.
    /// </summary>
    Auto,
    /// <summary>Population stability index ≥ <see cref="DriftOptions.PsiSignificant"/>.</summary>
    Psi,
    /// <summary>Kolmogorov–Smirnov p &lt; <see cref="DriftOptions.PValue"/> (numeric; categorical features use chi-square).</summary>
    KolmogorovSmirnov,
    /// <summary>Chi-square p &lt; <see cref="DriftOptions.PValue"/>.</summary>
    ChiSquare,
    /// <summary>Normalised Wasserstein ≥ <see cref="DriftOptions.DistanceThreshold"/> (numeric; categorical features use Jensen–Shannon).</summary>
    Wasserstein,
    /// <summary>Jensen–Shannon distance ≥ <see cref="DriftOptions.DistanceThreshold"/>.</summary>
    JensenShannon,
}

namespace MLOps.Pipelines.ML.Features;

/// <summary>
/// The role and storage of a prepared column: numeric → float32, categorical → string, label → bool (binary task),
/// class label → string (multiclass task).
/// </summary>
public enum FeatureKind
{
    Numeric,
    Categorical,
    Label,
    ClassLabel,
}

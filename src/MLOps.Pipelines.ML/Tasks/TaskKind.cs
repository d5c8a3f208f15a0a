namespace MLOps.Pipelines.ML.Tasks;

/// <summary>What a model predicts: a yes/no label (bool) or one of several classes (string).</summary>
public enum TaskKind
{
    Binary,
    Multiclass,
}

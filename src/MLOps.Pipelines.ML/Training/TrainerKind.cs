namespace MLOps.Pipelines.ML.Training;

/// <summary>Which ML.NET binary trainer fits the model.</summary>
public enum TrainerKind
{
    LightGbm,
    FastTree,
    /// <summary>SDCA logistic regression on min-max normalized features.</summary>
    Sdca,
}

namespace MLOps.Pipelines.ML.Training;

/// <summary>The data given to train or score lacks a column the model needs, or has it with the wrong type.</summary>
public sealed class ModelInputException(string message) : Exception(message);

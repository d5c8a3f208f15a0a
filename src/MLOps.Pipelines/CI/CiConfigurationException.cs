namespace MLOps.Pipelines.CI;

/// <summary>A CI attribute does not fit the build; the message names the attribute, the property and the fix.</summary>
public sealed class CiConfigurationException(string message) : Exception(message);

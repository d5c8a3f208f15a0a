namespace MLOps.Pipelines;

/// <summary>A mistake in how the build was invoked or declared (unknown target, cycle, bad parameter value): exit code 2, one clear line.</summary>
public sealed class BuildConfigurationException(string message) : Exception(message);

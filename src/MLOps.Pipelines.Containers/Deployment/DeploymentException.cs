namespace MLOps.Pipelines.Containers.Deployment;

/// <summary>A deployment failed; the message is one line naming the cause, and says which version still serves.</summary>
public sealed class DeploymentException(string message) : Exception(message);

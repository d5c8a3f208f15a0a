namespace MLOps.Pipelines.Containers.Deployment;

/// <summary>A release in service: the stable URL, the server behind it and the record written.</summary>
public sealed record DeploymentResult(Uri Url, RunningServer Server, DeploymentRecord Record);

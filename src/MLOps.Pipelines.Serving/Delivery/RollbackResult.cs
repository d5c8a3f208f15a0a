using MLOps.Pipelines.Containers.Deployment;
using MLOps.Pipelines.ML.Registry;

namespace MLOps.Pipelines.Serving.Delivery;

/// <summary>What Rollback did: the champion's move in the registry and the deployment of the version it moved back to.</summary>
public sealed record RollbackResult(AliasMove Move, DeploymentResult Deployment);

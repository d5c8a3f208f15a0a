using MLOps.Pipelines.Containers.Deployment;
using MLOps.Pipelines.ML.Registry;

namespace MLOps.Pipelines.Serving.Delivery;

/// <summary>
/// Rollback: moves the champion back in the registry (<see cref="ModelRegistry.Rollback"/>), then packages (an image
/// already made is rebuilt to the same digest from the cache) and deploys that version through the same gate.
/// </summary>
public static class RollbackStage
{
    public static async Task<RollbackResult> RunAsync(ModelRegistry registry, DeliverySettings settings, string reason, DeployOptions options,
        string? imageRegistry = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(registry);
        if (string.IsNullOrWhiteSpace(reason)) throw new ArgumentException("--reason is required: say why the champion is rolled back", nameof(reason));
        var move = registry.Rollback(reason);
        await PackageStage.RunAsync(registry, settings, imageRegistry, cancellationToken);
        var deployment = await DeployStage.RunAsync(registry, settings, options, cancellationToken);
        return new RollbackResult(move, deployment);
    }
}

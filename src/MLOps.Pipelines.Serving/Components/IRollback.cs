using MLOps.Pipelines.Serving.Delivery;

namespace MLOps.Pipelines.Serving.Components;

/// <summary>
/// The <c>Rollback</c> stage: a pipeline's champion moved back to the version it held before and that version deployed
/// (<see cref="RollbackStage"/>; name the instance: <c>Rollback@CustomerChurn</c>).
/// </summary>
public interface IRollback : IHazDelivery
{
    [Parameter("Why the champion is rolled back (Rollback)")]
    string? Reason => GetValue<string?>(() => Reason, null);

    Target Rollback => _ => _
        .Description("Move the champion back to the version it held before (--reason says why) and deploy it")
        .ForEach(Pipelines, p => p.Name, (_, p) => _
            .Requires(() => Reason)
            .Executes(async cancellationToken =>
            {
                var registry = RegistryOf(p);
                var result = await RollbackStage.RunAsync(registry, DeliveryOf(p), Reason!, DeployOptionsOf(p), ImageRegistry, cancellationToken);
                Console.WriteLine($"{registry.ModelName}: champion v{result.Move.From} → v{result.Move.To} ({result.Move.Why}); serving {result.Deployment.Server.Release} at {result.Deployment.Url}");
            }));
}

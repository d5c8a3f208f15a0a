namespace MLOps.Pipelines.ML.Components;

/// <summary>The <c>Rollback</c> stage: a pipeline's champion moved back to the version it held before (name the instance: <c>Rollback@CustomerChurn</c>).</summary>
public interface IRollback : IHazPipelines
{
    [Parameter("Why the champion is rolled back (Rollback)")]
    string? Reason => GetValue<string?>(() => Reason, null);

    Target Rollback => _ => _
        .Description("Move the champion back to the version it held before (--reason says why)")
        .ForEach(Pipelines, p => p.Name, (_, p) => _
            .Requires(() => Reason)
            .Executes(() =>
            {
                var registry = RegistryOf(p);
                var move = registry.Rollback(Reason!);
                Console.WriteLine($"{registry.ModelName}: champion v{move.From} → v{move.To} ({move.Why})");
            }));
}

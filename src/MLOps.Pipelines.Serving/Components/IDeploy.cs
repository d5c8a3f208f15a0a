using MLOps.Pipelines.ML.Components;
using MLOps.Pipelines.Serving.Delivery;

namespace MLOps.Pipelines.Serving.Components;

/// <summary>
/// The <c>Deploy</c> stage: each pipeline's champion put in service blue/green behind
/// <c>http://127.0.0.1:&lt;serve-port&gt;</c> after the golden check (<see cref="DeployStage"/>). Monitor, when the
/// build has it, runs after it (the ML library's Monitor cannot name this component).
/// </summary>
public interface IDeploy : IPackage
{
    Target Deploy => _ => _
        .Description("Put the registry's champion in service blue/green behind http://127.0.0.1:<serve-port> (+1 per further pipeline) after the golden check")
        .ForEach(Pipelines, p => p.Name, (_, p) => (this is IMonitor ? _.Before<IMonitor>(x => x.Monitor) : _)
            .DependsOn(Package)
            .Executes(async cancellationToken =>
            {
                var result = await DeployStage.RunAsync(RegistryOf(p), DeliveryOf(p), DeployOptionsOf(p), cancellationToken);
                Console.WriteLine($"serving {result.Server.Release} at {result.Url} ({result.Server.Runtime}, '{DeployEnvironment}')");
            }));
}

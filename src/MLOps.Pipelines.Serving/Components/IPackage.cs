using System.Globalization;
using MLOps.Pipelines.ML.Components;
using MLOps.Pipelines.Serving.Delivery;

namespace MLOps.Pipelines.Serving.Components;

/// <summary>
/// The <c>Package</c> stage: each pipeline's registry champion as the model server's OCI image (model in its own
/// layer), pushed with <c>--image-registry</c> (<see cref="PackageStage"/>).
/// </summary>
public interface IPackage : IRegister, IHazDelivery
{
    Target Package => _ => _
        .Description("Build the model server's OCI image with the registry's champion (model in its own layer); push it with --image-registry")
        .ForEach(Pipelines, p => p.Name, (_, p) => _
            .DependsOn(Register, Export)
            .Executes(async cancellationToken =>
            {
                var result = await PackageStage.RunAsync(RegistryOf(p), DeliveryOf(p), ImageRegistry, cancellationToken);
                foreach (var line in PackageReport.Lines(result)) Console.WriteLine(line);
            }));
}

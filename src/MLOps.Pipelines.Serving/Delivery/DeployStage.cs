using MLOps.Pipelines.Containers.Deployment;
using MLOps.Pipelines.Containers.Naming;
using MLOps.Pipelines.ML.Export;
using MLOps.Pipelines.ML.Registry;

namespace MLOps.Pipelines.Serving.Delivery;

/// <summary>
/// Deploy: the registry's champion, as Package imaged it, put in service blue/green (<see cref="BlueGreenDeployer"/>)
/// behind the stable URL, gated by <see cref="GoldenCheck"/>; every attempt is recorded beside the registry entry
/// (<c>models/&lt;name&gt;/deployments/&lt;environment&gt;.json</c>). Refuses bad names and paths, an image of
/// another model, and a champion that was not packaged.
/// </summary>
public static class DeployStage
{
    public static async Task<DeploymentResult> RunAsync(ModelRegistry registry, DeliverySettings settings, DeployOptions options,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(options);
        var environment = DeploymentNames.Environment(options.Environment);
        DeploymentNames.ModelName(settings.ModelName, "the pipeline's model");
        if (registry.ModelName != settings.ModelName)
            throw new DeploymentException($"the registry is of model '{registry.ModelName}' but the pipeline {settings.Definition.Name} makes '{settings.ModelName}'; deploy the pipeline's own model");
        var champion = PackageStage.Champion(registry);
        var image = PackagedImage.Read(registry.Directory, champion.Version)
                    ?? throw new DeploymentException($"{settings.ModelName} v{champion.Version} (the champion) has no image: run Package first");
        if (image.ModelName != settings.ModelName || image.ModelSha256 != champion.ModelSha256)
            throw new DeploymentException($"{PackagedImage.PathOf(registry.Directory, champion.Version)} is an image of {image.ModelName} sha256 {image.ModelSha256[..12]}, not of the champion {settings.ModelName} v{champion.Version} sha256 {champion.ModelSha256[..12]}; run Package again");
        var modelDirectory = settings.ModelDirectory(champion.Version);
        var manifest = ServingManifest.Read(modelDirectory);
        if (manifest.Name != settings.ModelName || manifest.Version != champion.Version.ToString(System.Globalization.CultureInfo.InvariantCulture))
            throw new DeploymentException($"{modelDirectory} serves {manifest.Name} v{manifest.Version}, not the champion {settings.ModelName} v{champion.Version}; run Package again");

        var host = Path.Combine(settings.ServerDirectory, PackageStage.HostExecutable);
        // A server handed over as a CI artifact loses its execute bit (artifact uploads keep no file modes).
        if (OperatingSystem.IsLinux() && File.Exists(host) && (File.GetUnixFileMode(host) & UnixFileMode.UserExecute) == 0)
            File.SetUnixFileMode(host, File.GetUnixFileMode(host) | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);

        var store = new DeploymentStore(registry.Directory, settings.StateDirectory);
        var processes = new ProcessRuntime(store.LogDirectory(environment));
        var chosen = await ServerRuntimes.ChooseAsync(options.Target, cancellationToken);
        using var docker = chosen == ServerRuntimes.Docker ? new DockerRuntime() : null;
        IServerRuntime runtime = docker is null ? processes : docker;
        var deployer = new BlueGreenDeployer(runtime, store, new BlueGreenOptions { StablePort = options.ServePort }, otherRuntimes: [processes]);
        var release = new ServerRelease(settings.ModelName, champion.Version)
        {
            ImageDigest = image.ImageDigest,
            ImageId = image.ConfigDigest,
            DockerArchive = settings.DockerArchive(champion.Version),
            HostExecutable = host,
            ModelDirectory = modelDirectory,
        };
        return await deployer.DeployAsync(release, environment, GoldenCheck.For(modelDirectory), cancellationToken);
    }
}

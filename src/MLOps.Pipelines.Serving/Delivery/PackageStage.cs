using System.Globalization;
using MLOps.Pipelines.Containers.BaseImages;
using MLOps.Pipelines.Containers.Layers;
using MLOps.Pipelines.Containers.Naming;
using MLOps.Pipelines.Containers.Oci;
using MLOps.Pipelines.Containers.Packaging;
using MLOps.Pipelines.Containers.Publishing;
using MLOps.Pipelines.Containers.Registry;
using MLOps.Pipelines.ML.Export;
using MLOps.Pipelines.ML.Registry;
using MLOps.Pipelines.ML.Stages;

namespace MLOps.Pipelines.Serving.Delivery;

/// <summary>
/// Package: the registry's <b>champion</b> (never simply the latest training output) as a reproducible OCI image of the
/// model server. The champion's binary is taken from the registry and exported to ONNX with its golden records and
/// model.json; the server host is published once per source state for every pipeline and the host glibc base made once
/// per publish (both shared, <see cref="DeliverySettings.SharedDirectory"/>); the image puts the
/// model in its own top layer; written as an OCI layout and a docker-archive, pushed when an image registry is given,
/// and recorded beside the registry entry (<see cref="PackagedImage"/>).
/// </summary>
public static class PackageStage
{
    public const string HostExecutable = "mlops-serve";

    public static async Task<PackageResult> RunAsync(ModelRegistry registry, DeliverySettings settings, string? imageRegistry = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(settings);
        DeploymentNames.ModelName(registry.ModelName, "the registry's model");
        if (registry.ModelName != settings.ModelName)
            throw new InvalidOperationException($"the registry is of model '{registry.ModelName}' but the pipeline {settings.Definition.Name} makes '{settings.ModelName}'; package the pipeline's own model");
        var champion = Champion(registry);
        var modelDirectory = ChampionDirectory(registry, champion, settings);
        var server = await PublishedServerAsync(settings, cancellationToken);
        var baseImage = BaseImage(settings, settings.ServerDirectory, server.Key);

        var request = new ServerImageRequest(settings.ServerDirectory, HostExecutable, modelDirectory, registry.ModelName, champion.Version,
            settings.LayoutDirectory(champion.Version), settings.DockerArchive(champion.Version))
        {
            Labels = new Dictionary<string, string> { ["org.mlops-pipelines.model-sha256"] = champion.ModelSha256 },
        };
        var image = ServerImage.Build(baseImage, request, new LayerCache(settings.LayerCacheDirectory));

        PushResult? push = null;
        string? pushedTo = null;
        if (!string.IsNullOrWhiteSpace(imageRegistry))
        {
            var repository = ImageReference.Of(imageRegistry, registry.ModelName);
            using var client = new OciRegistryClient();
            push = await client.PushAsync(image.LayoutDirectory, repository, [$"v{champion.Version.ToString(CultureInfo.InvariantCulture)}"], cancellationToken);
            pushedTo = $"{repository}@{push.Digest}";
        }

        var record = new PackagedImage(registry.ModelName, champion.Version, champion.ModelSha256, image.Digest, image.ConfigDigest,
            ServerImage.Tag(registry.ModelName, champion.Version), image.CompressedSize, pushedTo);
        record.Write(registry.Directory);
        return new PackageResult(record, image.LayoutDirectory, image.DockerArchive!, modelDirectory, push) { Server = server };
    }

    internal static ModelVersion Champion(ModelRegistry registry)
    {
        if (!registry.Aliases().TryGetValue(ModelAliases.Champion, out var version))
            throw new InvalidOperationException($"{registry.ModelName} has no champion in {registry.File}: run Register with a model that passes the quality gate first");
        return registry.Get(version);
    }

    /// <summary>The champion's servable folder: its registry binary exported to ONNX, golden.json and model.json (reused while its SHA-256 matches).</summary>
    static string ChampionDirectory(ModelRegistry registry, ModelVersion champion, DeliverySettings settings)
    {
        var directory = settings.ModelDirectory(champion.Version);
        var stamp = Path.Combine(settings.VersionDirectory(champion.Version), "model.sha256");
        if (File.Exists(stamp) && File.ReadAllText(stamp).Trim() == champion.ModelSha256 && File.Exists(Path.Combine(directory, "model.json")))
            return directory;

        var staging = directory + ".staging";
        if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        var binary = Path.Combine(settings.VersionDirectory(champion.Version), TrainStage.ModelFile);
        Directory.CreateDirectory(Path.GetDirectoryName(binary)!);
        registry.Download(champion.Version, AbsolutePath.Create(Path.GetFullPath(binary)));
        ExportStage.Run(binary, settings.PreparedDirectory, staging, maxRows: 5_000);
        ServingDirectory.Write(staging, settings.Definition, settings.IngestedData, champion.Version.ToString(CultureInfo.InvariantCulture));
        if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
        Directory.Move(staging, directory);
        File.WriteAllText(stamp, champion.ModelSha256 + "\n");
        return directory;
    }

    /// <summary>
    /// The server host for this pipeline: the shared publish for the server's current sources (<see cref="PublishedServerCache"/>:
    /// one publish for every pipeline, made once per source state, self-contained linux-x64, Windows natives dropped),
    /// seen through this pipeline's own folder of hard links. Reused as it is while its key file names the current key.
    /// </summary>
    static async Task<PublishedServer> PublishedServerAsync(DeliverySettings settings, CancellationToken cancellationToken)
    {
        // Trimmed publishes turn reflection-based System.Text.Json off; model.json and golden.json are read that way.
        var properties = new Dictionary<string, string> { ["JsonSerializerIsReflectionEnabledByDefault"] = "true" };
        var key = PublishedServerCache.KeyOf(settings.ServerProject, settings.PartialTrimming, properties);
        if (File.Exists(Path.Combine(settings.ServerDirectory, HostExecutable)) && File.Exists(settings.ServerKeyFile)
            && File.ReadAllText(settings.ServerKeyFile).Trim() == key)
            return new PublishedServer(settings.ServerDirectory, key, PublishedNow: false, TimeSpan.Zero);

        var published = await new PublishedServerCache(settings.PublishedServersDirectory)
            .GetOrPublishAsync(settings.ServerProject, settings.PartialTrimming, properties, cancellationToken);
        HardLinkedDirectory.Create(published.Directory, settings.ServerDirectory);
        Directory.CreateDirectory(settings.WorkDirectory);
        AtomicFile.WriteAllText(settings.ServerKeyFile, published.Key + "\n");
        return published;
    }

    /// <summary>The base given (<c>--base-image</c>), else the host glibc base, made once per server publish and shared by the pipelines.</summary>
    static SourceImage BaseImage(DeliverySettings settings, string server, string serverKey)
    {
        if (settings.BaseImageLayout is { } given)
        {
            if (!File.Exists(Path.Combine(given, "index.json")))
                throw new InvalidOperationException($"--base-image {given} is not an OCI image layout directory (no index.json); pass one, or leave it out to use the host glibc base");
            return OciLayout.Read(given);
        }
        // Shared by the pipelines, by the server's key (the base holds the libraries that publish needs): written beside
        // and renamed into place, so two Package instances making it at once both end with one complete base.
        var directory = settings.BaseDirectory(serverKey);
        if (!File.Exists(Path.Combine(directory, "index.json")))
        {
            var staging = $"{directory}.staging-{Guid.NewGuid():N}";
            try
            {
                HostGlibcBase.Create([server], staging);
                try { Directory.Move(staging, directory); }
                catch (IOException) when (File.Exists(Path.Combine(directory, "index.json"))) { } // another instance made it first
            }
            finally
            {
                if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
            }
        }
        return OciLayout.Read(directory);
    }
}

using MLOps.Pipelines.Containers.BaseImages;
using MLOps.Pipelines.Containers.Layers;
using MLOps.Pipelines.Containers.Naming;
using MLOps.Pipelines.Containers.Oci;

namespace MLOps.Pipelines.Containers.Packaging;

/// <summary>
/// The model server's image: the base's layers, the published server under <c>/app</c>, and the model under
/// <c>/model</c> as the top layer, so a retrain changes one small layer. Runs as the base's non-root user with
/// <c>ORT_DISABLE_TELEMETRY=1</c>; tagged <c>&lt;model&gt;:v&lt;version&gt;</c> and labelled with the model's name and version.
/// </summary>
public static class ServerImage
{
    public const string AppDirectory = "app";
    public const string ModelDirectoryInImage = "model";

    public static string Tag(string modelName, int version) => $"{DeploymentNames.ModelName(modelName)}:v{DeploymentNames.Version(version)}";

    public static BuiltImage Build(SourceImage baseImage, ServerImageRequest request, LayerCache? cache = null)
    {
        ArgumentNullException.ThrowIfNull(baseImage);
        ArgumentNullException.ThrowIfNull(request);
        var tag = Tag(request.ModelName, request.ModelVersion);
        var host = Path.Combine(request.PublishedServerDirectory, request.HostExecutableName);
        if (string.IsNullOrEmpty(request.HostExecutableName) || Path.GetFileName(request.HostExecutableName) != request.HostExecutableName || !File.Exists(host))
            throw new FileNotFoundException($"{host} is not the published server's executable: publish the server self-contained for linux-x64 and name its apphost.", host);
        if (!Directory.Exists(request.ModelDirectory))
            throw new DirectoryNotFoundException($"{request.ModelDirectory} does not exist: export the model (Export) before Package.");

        var server = new LayerContent($"server {request.HostExecutableName}").AddDirectory(request.PublishedServerDirectory, AppDirectory);
        var model = new LayerContent($"model {request.ModelName} v{request.ModelVersion}").AddDirectory(request.ModelDirectory, ModelDirectoryInImage);
        var labels = new Dictionary<string, string>(request.Labels)
        {
            ["org.opencontainers.image.title"] = request.ModelName,
            ["org.opencontainers.image.version"] = $"v{request.ModelVersion}",
            ["org.mlops-pipelines.model"] = request.ModelName,
            ["org.mlops-pipelines.version"] = request.ModelVersion.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        var settings = new ImageSettings
        {
            User = $"{HostGlibcBase.UserId}:{HostGlibcBase.UserId}",
            Entrypoint = [$"/{AppDirectory}/{request.HostExecutableName}"],
            Cmd = ["--model-dir", $"/{ModelDirectoryInImage}", "--urls", $"http://127.0.0.1:{request.Port}"],
            WorkingDir = $"/{AppDirectory}",
            Environment = new Dictionary<string, string>
            {
                ["ORT_DISABLE_TELEMETRY"] = "1",
                ["DOTNET_SYSTEM_GLOBALIZATION_INVARIANT"] = "1",
                ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
            },
            ExposedPorts = [request.Port],
            Labels = labels,
        };
        return ImageAssembler.Build(baseImage, [server, model], settings, request.LayoutDirectory, request.DockerArchive, [tag], cache);
    }
}

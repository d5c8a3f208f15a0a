using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using MLOps.Pipelines.Containers.Deployment;
using MLOps.Pipelines.ML.Export;
using MLOps.Pipelines.ML.Registry;
using ExportStage = MLOps.Pipelines.ML.Stages.ExportStage;
using TrainStage = MLOps.Pipelines.ML.Stages.TrainStage;
using MLOps.Pipelines.ML.Training;
using MLOps.Pipelines.Serving.Delivery;
using Shouldly;
using Xunit;

namespace MLOps.Pipelines.Serving.Tests.Delivery;

/// <summary>
/// Issue 10's end to end, on the small CustomerChurn pipeline with a real registry, a real published server and real
/// processes on loopback: Package → Deploy → predict over HTTP → a worse model registered (not promoted) → Deploy keeps
/// the champion → a broken model forced through → the gate refuses it and the old version keeps answering → Rollback.
/// </summary>
[Trait("Category", "Slow")]
public sealed class DeliveryEndToEndTests : IClassFixture<ChurnModelFixture>, IDisposable
{
    static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };
    readonly ChurnModelFixture _churn;
    readonly TemporaryDirectory _root = new("mlops-delivery-");
    readonly ModelRegistry _registry;
    readonly DeliverySettings _settings;
    readonly DeployOptions _options;

    public DeliveryEndToEndTests(ChurnModelFixture churn)
    {
        _churn = churn;
        var repo = _root.Path / "repo";
        _registry = ModelRegistry.ForModel(repo, churn.Definition.ModelName, new FileSystemModelBlobStore(repo / "blobs"));
        _settings = new DeliverySettings(churn.Definition, churn.Prepared, churn.IngestedData,
            Path.Combine(RepositoryFiles.Root, "src", "MLOps.Pipelines.Serving.Host", "MLOps.Pipelines.Serving.Host.csproj"),
            Path.Combine(_root.Path, "work"))
        {
            SharedDirectory = SharedDelivery.Directory, // the server published once per source state, not per test
        };
        _options = new DeployOptions("e2e", ServerRuntimes.Process, LoopbackPort.Free());
    }

    [Fact]
    public async Task Champion_is_packaged_deployed_kept_against_worse_and_broken_models_and_rolled_back()
    {
        var good = Register(_churn.ModelZip, auc: 0.85);
        Promote().Promoted.ShouldBeTrue();

        var packaged = await PackageStage.RunAsync(_registry, _settings, Environment.GetEnvironmentVariable("MLOPS_TEST_REGISTRY"));
        packaged.Image.Version.ShouldBe(good);
        PackagedImage.Read(_registry.Directory, good)!.ImageDigest.ShouldBe(packaged.Image.ImageDigest);
        var first = await DeployStage.RunAsync(_registry, _settings, _options);
        first.Url.ShouldBe(new Uri($"http://127.0.0.1:{_options.ServePort}"));
        (await ServedVersionAsync()).ShouldBe(good.ToString(System.Globalization.CultureInfo.InvariantCulture));

        // A deliberately worse model: registered, not promoted; Package and Deploy keep the champion.
        var worseZip = Path.Combine(_root.Path, "worse", TrainStage.ModelFile);
        TrainStage.Run(_churn.Prepared, _churn.Definition.Spec, new TrainingOptions(Trees: 1, Leaves: 2, Threads: 1), worseZip);
        var worse = Register(worseZip, auc: 0.55);
        Promote().Promoted.ShouldBeFalse();
        (await PackageStage.RunAsync(_registry, _settings)).Image.ImageDigest.ShouldBe(packaged.Image.ImageDigest, "same champion, same image digest");
        await DeployStage.RunAsync(_registry, _settings, _options);
        (await ServedVersionAsync()).ShouldBe(good.ToString(System.Globalization.CultureInfo.InvariantCulture));

        // A broken model forced through: champion moved by hand, its package damaged (ONNX no longer the golden one).
        _registry.SetAlias(ModelAliases.Champion, worse, "forced by the test");
        var broken = await PackageStage.RunAsync(_registry, _settings);
        File.Copy(Path.Combine(packaged.ModelDirectory, ExportStage.OnnxFile), Path.Combine(broken.ModelDirectory, ExportStage.OnnxFile), overwrite: true);
        var refused = await Should.ThrowAsync<DeploymentException>(() => DeployStage.RunAsync(_registry, _settings, _options));
        refused.Message.ShouldContain($"v{good}");
        (await ServedVersionAsync()).ShouldBe(good.ToString(System.Globalization.CultureInfo.InvariantCulture), "the old version keeps answering");
        new DeploymentStore(_registry.Directory, _settings.StateDirectory).Records("e2e").ShouldContain(r => r.Outcome == DeploymentRecord.Failed);

        var rollback = await RollbackStage.RunAsync(_registry, _settings, "v2 is broken", _options);
        rollback.Move.To.ShouldBe(good);
        _registry.Get(ModelAliases.Champion).Version.ShouldBe(good);
        (await ServedVersionAsync()).ShouldBe(good.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Deploy_refuses_bad_environment_names_and_an_image_of_another_model()
    {
        var version = Register(_churn.ModelZip, auc: 0.85);
        Promote();
        foreach (var environment in new[] { "../prod", "", "Prod", "a/b" })
            (await Should.ThrowAsync<ArgumentException>(() => DeployStage.RunAsync(_registry, _settings, _options with { Environment = environment })))
                .Message.ShouldContain("--deploy-environment");

        (await Should.ThrowAsync<DeploymentException>(() => DeployStage.RunAsync(_registry, _settings, _options))).Message.ShouldContain("run Package first");
        new PackagedImage(_registry.ModelName, version, new string('0', 64), "sha256:" + new string('1', 64), "sha256:" + new string('2', 64),
            "customer-churn:v1", 1, null).Write(_registry.Directory);
        (await Should.ThrowAsync<DeploymentException>(() => DeployStage.RunAsync(_registry, _settings, _options))).Message.ShouldContain("run Package again");

        var otherPipeline = _settings with { Definition = _churn.Definition with { ModelName = "flight-delays" } };
        (await Should.ThrowAsync<DeploymentException>(() => DeployStage.RunAsync(_registry, otherPipeline, _options))).Message.ShouldContain("pipeline's own model");
    }

    int Register(string modelZip, double auc)
    {
        var version = _registry.Register(new ModelRegistration(AbsolutePath.Create(modelZip), new Dictionary<string, string> { ["train"] = new string('a', 64) },
            "code", new Dictionary<string, string>(), new Dictionary<string, double> { ["auc"] = auc }, "test")).Version;
        _registry.SetAlias(ModelAliases.Challenger, version, "registered by the test");
        return version;
    }

    PromotionDecision Promote() => _registry.Promote(qualityGatePassed: true);

    async Task<string> ServedVersionAsync()
    {
        var record = Records.Complete(_churn.ModelDirectory);
        using var response = await Http.PostAsJsonAsync(new Uri($"http://127.0.0.1:{_options.ServePort}/predict"), new JsonArray(record));
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        using var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var prediction = answer.RootElement.GetProperty("predictions")[0];
        prediction.GetProperty("probability").GetDouble().ShouldBeInRange(0, 1);
        return prediction.GetProperty("model_version").GetString()!;
    }

    public void Dispose()
    {
        var store = new DeploymentStore(_registry.Directory, _settings.StateDirectory);
        if (store.Live("e2e") is { } live)
            new ProcessRuntime(store.LogDirectory("e2e")).StopAsync(live, CancellationToken.None).GetAwaiter().GetResult();
        _root.Dispose(); // published server + images: ~200 MB
    }
}

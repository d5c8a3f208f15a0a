using System.Net;
using MLOps.Pipelines.Containers.Oci;
using MLOps.Pipelines.Containers.Registry;
using MLOps.Pipelines.ML.Registry;
using MLOps.Pipelines.ML.Training;
using MLOps.Pipelines.Serving.Delivery;
using MLOps.Pipelines.Serving.Tests.ModelStore;
using TrainStage = MLOps.Pipelines.ML.Stages.TrainStage;

namespace MLOps.Pipelines.Serving.Tests.Delivery;

/// <summary>
/// Package as the build runs it, with the real server and the real churn champion: two pipelines' Package at once share
/// one server publish and give one digest per model; after a retrain the push sends only the model layer and the
/// config (with the manifest), the base and server layers being in the registry already — asked of the registry itself.
/// </summary>
[Trait("Category", "Slow")]
public sealed class PackageSharingTests : IClassFixture<ChurnModelFixture>, IDisposable
{
    readonly ChurnModelFixture _churn;
    readonly string _root = Path.Combine(Path.GetTempPath(), "mlops-package-tests", Guid.NewGuid().ToString("N")[..8]);
    DockerRegistryProcess? _ownRegistry;

    public PackageSharingTests(ChurnModelFixture churn) => _churn = churn;

    [Fact]
    public async Task Two_Package_runs_at_once_share_one_server_publish_and_give_one_digest()
    {
        var registry = NewRegistry("repo");
        Register(registry, _churn.ModelZip, auc: 0.85);
        Promote(registry).Promoted.ShouldBeTrue();
        var first = Settings("first");
        var second = Settings("second");

        var results = await Task.WhenAll(PackageStage.RunAsync(registry, first), PackageStage.RunAsync(registry, second));

        results[0].Image.ImageDigest.ShouldBe(results[1].Image.ImageDigest, "same server, model and base: one digest");
        results[0].Server!.Key.ShouldBe(results[1].Server!.Key);
        results.Count(r => r.Server!.PublishedNow).ShouldBeLessThanOrEqualTo(1, "one publish for both, the other waited and reused it");
        Directory.GetDirectories(first.PublishedServersDirectory).ShouldContain(Path.Combine(first.PublishedServersDirectory, results[0].Server!.Key));
        foreach (var settings in new[] { first, second })
        {
            File.ReadAllText(settings.ServerKeyFile).Trim().ShouldBe(results[0].Server!.Key);
            File.Exists(Path.Combine(settings.ServerDirectory, PackageStage.HostExecutable)).ShouldBeTrue();
        }
        Directory.GetFiles(first.ServerDirectory, "*", SearchOption.AllDirectories).Length
            .ShouldBe(Directory.GetFiles(second.ServerDirectory, "*", SearchOption.AllDirectories).Length);

        var again = await PackageStage.RunAsync(registry, first);
        again.Image.ImageDigest.ShouldBe(results[0].Image.ImageDigest, "a second run of one pipeline gives the same digest");
        again.Server!.PublishedNow.ShouldBeFalse();
    }

    [SkippableFact]
    public async Task After_a_retrain_Package_pushes_only_the_model_layer_and_the_config()
    {
        var address = await TestImageRegistry.AddressAsync(() => _ownRegistry = new DockerRegistryProcess());
        var registry = NewRegistry("repo");
        var settings = Settings("pipeline");
        Register(registry, _churn.ModelZip, auc: 0.85);
        Promote(registry).Promoted.ShouldBeTrue();
        var v1 = await PackageStage.RunAsync(registry, settings, address);
        v1.Push.ShouldNotBeNull();

        // A retrain: another seed and more trees give another model, which beats the champion and is packaged.
        var retrained = Path.Combine(_root, "retrained", TrainStage.ModelFile);
        TrainStage.Run(_churn.Prepared, _churn.Definition.Spec, new TrainingOptions(Trees: 31, Leaves: 15, Seed: Random.Shared.Next(1, int.MaxValue), Threads: 1), retrained);
        Register(registry, retrained, auc: 0.86);
        Promote(registry).Promoted.ShouldBeTrue();
        var repository = ImageReference.Of(address, registry.ModelName);
        var layers1 = Layers(v1.LayoutDirectory);
        using var client = new OciRegistryClient();
        foreach (var layer in layers1) (await client.HasBlobAsync(repository, layer)).ShouldBeTrue($"v1's layer {layer} is in the registry after its push");

        // Build v2 without pushing, ask the registry which of its blobs it lacks, then push it.
        var v2Local = await PackageStage.RunAsync(registry, settings);
        var layers2 = Layers(v2Local.LayoutDirectory);
        var config2 = v2Local.Image.ConfigDigest;
        layers2.Count.ShouldBe(layers1.Count);
        layers2[..^1].ShouldBe(layers1[..^1], "base and server layers are the same blobs");
        layers2[^1].ShouldNotBe(layers1[^1], "the model layer changed");
        var missing = new List<string>();
        foreach (var blob in layers2.Prepend(config2))
            if (!await client.HasBlobAsync(repository, blob)) missing.Add(blob);
        missing.ShouldBe([config2, layers2[^1]], "the registry lacks only the config and the model layer");

        var v2 = await PackageStage.RunAsync(registry, settings, address);
        v2.Image.ImageDigest.ShouldBe(v2Local.Image.ImageDigest);
        var push = v2.Push!;
        push.UploadedDigests.ShouldBe([config2, layers2[^1]], "only the config and the model layer travel");
        push.BlobsSkipped.ShouldBe(layers2.Count - 1);
        push.BytesSkipped.ShouldBeGreaterThan(push.BytesUploaded * 100, "the skipped base and server layers dwarf the model");
        PackageReport.Lines(v2).ShouldContain(l => l.Contains("2 blobs sent", StringComparison.Ordinal) && l.Contains($"{layers2.Count - 1} already there", StringComparison.Ordinal));
        foreach (var blob in layers2.Prepend(config2)) (await client.HasBlobAsync(repository, blob)).ShouldBeTrue();
        OciDigest.Of(await client.GetManifestAsync(repository, push.Digest)).ShouldBe(v2.Image.ImageDigest, "the manifest is there, by digest");
        OciDigest.Of(await client.GetManifestAsync(repository, $"v{v2.Image.Version}")).ShouldBe(v2.Image.ImageDigest, "and under the version tag");
    }

    DeliverySettings Settings(string pipelineFolder) =>
        new(_churn.Definition, _churn.Prepared, _churn.IngestedData,
            Path.Combine(RepositoryFiles.Root, "src", "MLOps.Pipelines.Serving.Host", "MLOps.Pipelines.Serving.Host.csproj"),
            Path.Combine(_root, pipelineFolder))
        {
            SharedDirectory = SharedDelivery.Directory,
        };

    ModelRegistry NewRegistry(string folder)
    {
        var repo = AbsolutePath.Create(Path.Combine(_root, folder));
        return ModelRegistry.ForModel(repo, _churn.Definition.ModelName, new FileSystemModelBlobStore(repo / "blobs"));
    }

    static int Register(ModelRegistry registry, string modelZip, double auc)
    {
        var version = registry.Register(new ModelRegistration(AbsolutePath.Create(modelZip), new Dictionary<string, string> { ["train"] = new string('a', 64) },
            "code", new Dictionary<string, string>(), new Dictionary<string, double> { ["auc"] = auc }, "test")).Version;
        registry.SetAlias(ModelAliases.Challenger, version, "registered by the test");
        return version;
    }

    static PromotionDecision Promote(ModelRegistry registry) => registry.Promote(qualityGatePassed: true);

    static List<string> Layers(string layout)
    {
        using var image = OciLayout.Read(layout);
        return image.Layers.Select(l => l.Blob.Digest).ToList();
    }

    public void Dispose()
    {
        _ownRegistry?.Dispose();
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { }
    }
}

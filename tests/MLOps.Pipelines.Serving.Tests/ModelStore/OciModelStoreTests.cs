using System.Security.Cryptography;
using System.Text.Json.Nodes;
using MLOps.Pipelines.Containers.Registry;
using MLOps.Pipelines.ML.Catalog;
using MLOps.Pipelines.ML.Components;
using MLOps.Pipelines.ML.Registry;
using MLOps.Pipelines.Serving.Components;
using MLOps.Pipelines.Serving.ModelStore;
using Pipelines;

namespace MLOps.Pipelines.Serving.Tests.ModelStore;

/// <summary>
/// Model binaries in an OCI registry (Debian's docker-registry on loopback, started by the fixture): Register pushes the
/// churn model as an image-spec 1.1 artifact and records where; a runner with an empty cache and only registry.json
/// fetches it back by digest, verified; a damaged blob, a digest the store lacks and bad store names are one-line errors.
/// </summary>
public sealed class OciModelStoreTests : IClassFixture<DockerRegistryProcess>, IClassFixture<ChurnModelFixture>, IDisposable
{
    const string Model = "customer-churn";
    readonly DockerRegistryProcess _registry;
    readonly ChurnModelFixture _churn;
    readonly TemporaryDirectory _folder = new("mlops-model-store-run-");

    public OciModelStoreTests(DockerRegistryProcess registry, ChurnModelFixture churn)
    {
        _registry = registry;
        _churn = churn;
    }

    AbsolutePath Runner(string name)
    {
        var root = AbsolutePath.Create(Path.Combine(_folder.Path, name));
        Directory.CreateDirectory(root / ".nuke");
        return root;
    }

    string Store(string repository) => $"oci://{_registry.Address}/{repository}";

    static ModelRegistry Registry(AbsolutePath root, string store) => ModelRegistry.ForModel(root, Model, ModelStores.Open(store, root, Model));

    static ModelVersion Register(ModelRegistry registry, string modelFile) =>
        registry.Register(new ModelRegistration(AbsolutePath.Create(modelFile), new Dictionary<string, string> { ["data"] = "xxh3:test" }, "code",
            new Dictionary<string, string>(), new Dictionary<string, double> { ["auc"] = 0.84 }, "unknown"));

    /// <summary>A fresh runner: a checkout holding registry.json, nothing in .nuke/cache/models.</summary>
    AbsolutePath FreshRunnerWith(AbsolutePath from, string name)
    {
        var root = Runner(name);
        Directory.CreateDirectory(root / "models" / Model);
        File.Copy(from / "models" / Model / ModelRegistry.FileName, root / "models" / Model / ModelRegistry.FileName);
        Directory.Exists(root / ".nuke" / "cache" / "models").ShouldBeFalse();
        return root;
    }

    [SkippableFact]
    public async Task Register_pushes_the_model_as_an_oci_artifact_and_an_empty_runner_fetches_it_back_by_digest()
    {
        var store = Store("models");
        var trainer = Runner("trainer");
        var version = Register(Registry(trainer, store), _churn.ModelZip);
        var sha = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(_churn.ModelZip)));
        version.ModelSha256.ShouldBe(sha);
        var location = $"oci://{_registry.Address}/models/{Model}:sha256-{sha}";
        version.ModelLocation.ShouldBe(location);
        File.ReadAllText(trainer / "models" / Model / ModelRegistry.FileName).ShouldContain($"\"modelLocation\": \"{location}\"");

        // What the registry holds: an image-spec 1.1 artifact manifest, empty config, the model as its one layer.
        using var client = new OciRegistryClient();
        var manifest = JsonNode.Parse(await client.GetManifestAsync(ImageReference.Of(_registry.Address, $"models/{Model}"), $"sha256-{sha}"))!;
        manifest["artifactType"]!.GetValue<string>().ShouldBe(OciModelBlobStore.ArtifactType);
        manifest["config"]!["mediaType"]!.GetValue<string>().ShouldBe("application/vnd.oci.empty.v1+json");
        manifest["config"]!["digest"]!.GetValue<string>().ShouldBe("sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a");
        var layer = manifest["layers"]!.AsArray().ShouldHaveSingleItem()!;
        layer["digest"]!.GetValue<string>().ShouldBe($"sha256:{sha}");
        layer["size"]!.GetValue<long>().ShouldBe(new FileInfo(_churn.ModelZip).Length);
        File.Exists(_registry.BlobFile(sha)).ShouldBeTrue();

        // Another runner: only the checkout's registry.json; the binary comes from the OCI registry, verified, and is kept.
        var deployer = FreshRunnerWith(trainer, "deployer");
        var fetched = Registry(deployer, store).Download("v1", deployer / "work" / "model.zip");
        File.ReadAllBytes(fetched).ShouldBe(File.ReadAllBytes(_churn.ModelZip));
        File.Exists(deployer / ".nuke" / "cache" / "models" / sha).ShouldBeTrue("the fetched blob is cached for the next stage");

        // Registering the same bytes again pushes nothing new and records the same place.
        Register(Registry(Runner("again"), store), _churn.ModelZip).ModelLocation.ShouldBe(location);
    }

    [SkippableFact]
    public void A_blob_damaged_in_the_registry_is_refused_naming_model_version_digest_and_store()
    {
        var store = Store("damaged");
        var trainer = Runner("trainer-damaged");
        var model = Path.Combine(_folder.Path, "tiny.zip");
        File.WriteAllBytes(model, RandomNumberGenerator.GetBytes(4096));
        var version = Register(Registry(trainer, store), model);
        var blob = _registry.BlobFile(version.ModelSha256);
        File.WriteAllBytes(blob, RandomNumberGenerator.GetBytes(4096)); // bit rot (or tampering) in the registry's storage

        var runner = FreshRunnerWith(trainer, "runner-damaged");
        var destination = runner / "work" / "model.zip";
        var error = Should.Throw<CorruptModelBlobException>(() => Registry(runner, store).Download(1, destination));
        error.Message.ShouldStartWith($"{Model} v1 (sha256 {version.ModelSha256}) from the model store oci://{_registry.Address}/damaged/{Model}: ");
        error.Message.ShouldContain($"its content hashes to {error.ActualDigest}");
        error.Message.ShouldNotContain("\n");
        error.ActualDigest.ShouldNotBe(version.ModelSha256);
        File.Exists(destination).ShouldBeFalse("nothing unverified is left for a stage to use");
        Directory.Exists(runner / ".nuke" / "cache" / "models").ShouldBeFalse("nor cached");
    }

    [SkippableFact]
    public void A_digest_the_store_lacks_is_a_one_line_error_naming_model_version_digest_and_store()
    {
        var store = Store("missing");
        var trainer = Runner("trainer-missing");
        var model = Path.Combine(_folder.Path, "small.zip");
        File.WriteAllBytes(model, RandomNumberGenerator.GetBytes(1024));
        var version = Register(Registry(trainer, store), model);

        // registry.json names a digest the store never got (a hand edit, a bad merge): not found, nothing written.
        var runner = FreshRunnerWith(trainer, "runner-missing");
        var file = runner / "models" / Model / ModelRegistry.FileName;
        var wrong = new string('e', 64);
        File.WriteAllText(file, File.ReadAllText(file).Replace($"\"modelSha256\": \"{version.ModelSha256}\"", $"\"modelSha256\": \"{wrong}\""));
        var error = Should.Throw<ModelRegistryException>(() => Registry(runner, store).Download(1, runner / "model.zip"));
        error.Message.ShouldStartWith($"{Model} v1 (sha256 {wrong}) is not in the model store oci://{_registry.Address}/missing/{Model}");
        error.Message.ShouldNotContain("\n");
        File.Exists(runner / "model.zip").ShouldBeFalse();

        // A model registered to the local folder only: the shared store has never seen it.
        var local = Runner("local-only");
        ModelRegistry.ForModel(local, Model, FileSystemModelBlobStore.ForRepository(local)).Register(new ModelRegistration(AbsolutePath.Create(model),
            new Dictionary<string, string>(), "code", new Dictionary<string, string>(), new Dictionary<string, double>(), "unknown"));
        var elsewhere = FreshRunnerWith(local, "runner-local-only");
        Should.Throw<ModelRegistryException>(() => Registry(elsewhere, Store("never")).Download(1, elsewhere / "model.zip"))
            .Message.ShouldContain($"is not in the model store oci://{_registry.Address}/never/{Model}");
    }

    [Fact]
    public void Model_store_values_name_a_folder_or_an_oci_repository_per_model_and_bad_ones_say_what_to_write()
    {
        var root = Runner("values");
        ModelStores.Open(null, root, Model).ShouldBeOfType<FileSystemModelBlobStore>().Directory.ShouldBe(root / ".nuke" / "cache" / "models");
        ModelStores.Open("shared/models", root, Model).Location.ShouldBe(root / "shared" / "models");
        ModelStores.Open("oci://127.0.0.1:5000", root, Model).Location.ShouldBe($"oci://127.0.0.1:5000/models/{Model}");
        ModelStores.Open("oci://127.0.0.1:5000/team/ml/", root, Model).Location.ShouldBe($"oci://127.0.0.1:5000/team/ml/{Model}");
        foreach (var bad in new[] { "s3://bucket/models", "oci:///models", "oci://127.0.0.1:5000/Team" })
            Should.Throw<ArgumentException>(() => ModelStores.Open(bad, root, Model)).Message.ShouldStartWith($"--model-store '{bad}': ");
    }

    sealed class StoreBuild : PipelineBuild, IHazModelStore
    {
        public IReadOnlyList<PipelineDefinition> Pipelines => [PipelineCatalog.Get("CustomerChurn")];

        [Parameter("The model file the test registers")] readonly string ModelFile = "";

        Target Store => _ => _.Executes(() =>
        {
            var registry = ((IHazPipelines)this).RegistryOf(Pipelines[0]);
            Register(registry, ModelFile);
        });
    }

    [SkippableFact]
    public void The_model_store_parameter_selects_the_store_of_every_stage()
    {
        var root = Runner("build");
        var store = Store("build");
        PipelineBuild.Execute<StoreBuild>(["Store", "--model-store", store, "--model-file", _churn.ModelZip, "--root", root]).ShouldBe(0);
        var version = ModelRegistry.ForModel(root, Model, FileSystemModelBlobStore.ForRepository(root)).Get(1);
        version.ModelLocation.ShouldBe($"oci://{_registry.Address}/build/{Model}:sha256-{version.ModelSha256}");
        File.Exists(_registry.BlobFile(version.ModelSha256)).ShouldBeTrue();
    }

    public void Dispose()
    {
        _folder.Dispose();
    }
}

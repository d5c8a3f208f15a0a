using MLOps.Pipelines.Containers.Oci;
using MLOps.Pipelines.Containers.Packaging;
using MLOps.Pipelines.Containers.Registry;

namespace MLOps.Pipelines.Containers.Tests;

/// <summary>Push to the OCI registry .ci/run starts (Debian's docker-registry on loopback), over the distribution API.</summary>
[Collection(ContainersCollection.Name)]
public sealed class RegistryPushTests(TestServerFixture server)
{
    static string Registry => TestEnvironment.Registry ?? throw new InvalidOperationException("MLOPS_TEST_REGISTRY is not set; .ci/run starts a registry and sets it");

    BuiltImage Build(string name, int version, double score)
    {
        using var baseImage = OciLayout.Read(server.BaseLayout);
        var dir = Path.Combine(server.Work, "push", name);
        return ServerImage.Build(baseImage, new ServerImageRequest(server.Published, TestServerFixture.HostName, server.ModelFolder(version, score), "test-model", version,
            Path.Combine(dir, "layout"), Path.Combine(dir, "image.tar")), server.Layers);
    }

    [RegistryFact]
    public async Task Push_then_fetch_the_manifest_by_digest_and_after_a_model_change_only_the_model_layer_and_config_travel()
    {
        var repository = ImageReference.Of(Registry, $"mlops-test/run-{Guid.NewGuid():N}");
        using var client = new OciRegistryClient();
        var v1 = Build("v1", 1, 0.25);

        var first = await client.PushAsync(v1.LayoutDirectory, repository, ["v1", "test-model-v1"]);
        first.Digest.ShouldBe(v1.Digest);
        first.BlobsUploaded.ShouldBe(v1.Layers.Count + 1);
        var manifest = await client.GetManifestAsync(repository, v1.Digest);
        OciDigest.Of(manifest).ShouldBe(v1.Digest);
        (await client.GetManifestAsync(repository, "test-model-v1")).ShouldBe(manifest);

        var v2 = Build("v2", 2, 0.5);
        var second = await client.PushAsync(v2.LayoutDirectory, repository, ["v2"]);
        second.BlobsUploaded.ShouldBe(2, "the model layer and the config");
        second.BlobsSkipped.ShouldBe(v2.Layers.Count - 1);
        second.BytesUploaded.ShouldBe(v2.Layers[^1].Blob.Size + v2.Config.Size);
        OciDigest.Of(await client.GetManifestAsync(repository, v2.Digest)).ShouldBe(v2.Digest);

        var again = await client.PushAsync(v2.LayoutDirectory, repository, ["v2"]);
        again.BlobsUploaded.ShouldBe(0, "nothing new");
    }

    [RegistryFact]
    public async Task A_pushed_image_pulls_back_as_a_base_with_the_same_layers()
    {
        var repository = ImageReference.Of(Registry, $"mlops-test/base-{Guid.NewGuid():N}", "host");
        using var client = new OciRegistryClient();
        await client.PushAsync(server.BaseLayout, repository, ["host"]);

        using var pulled = await client.PullAsync(repository);
        pulled.Layers.Select(l => l.Blob.Digest).ShouldBe(server.BaseImage.Layers.Select(l => l.Blob.Digest));
        using var baseImage = OciLayout.Read(server.BaseLayout);
        var fromLayout = ImageAssembler.Build(baseImage, [], new ImageSettings(), Path.Combine(server.Work, "from-layout"), null, ["x:1"]);
        var fromRegistry = ImageAssembler.Build(pulled, [], new ImageSettings(), Path.Combine(server.Work, "from-registry"), null, ["x:1"]);
        fromRegistry.Digest.ShouldBe(fromLayout.Digest);
    }

    [RegistryFact]
    public async Task An_unknown_manifest_is_a_registry_error_naming_the_request()
    {
        using var client = new OciRegistryClient();
        var repository = ImageReference.Of(Registry, "mlops-test/missing");
        var error = await Should.ThrowAsync<RegistryException>(() => client.GetManifestAsync(repository, "v404"));
        error.Message.ShouldContain("GET manifest mlops-test/missing@v404");
        error.Message.ShouldContain("404");
    }

    [Theory]
    [InlineData("127.0.0.1:5000/flight-delays:v3", "127.0.0.1:5000", "flight-delays", "v3", true)]
    [InlineData("localhost:5000/a/b", "localhost:5000", "a/b", null, true)]
    [InlineData("registry.example.com/team/model:1.0", "registry.example.com", "team/model", "1.0", false)]
    public void References_parse_and_only_loopback_speaks_plain_http(string text, string registry, string repository, string? tag, bool plain)
    {
        var reference = ImageReference.Parse(text);
        (reference.Registry, reference.Repository, reference.Tag).ShouldBe((registry, repository, tag));
        reference.BaseUri.Scheme.ShouldBe(plain ? "http" : "https");
    }

    [Theory]
    [InlineData("flight-delays")]
    [InlineData("127.0.0.1:5000/Upper")]
    [InlineData("127.0.0.1:5000/a/../b")]
    [InlineData("127.0.0.1:5000/a:-bad")]
    public void Bad_references_fail_with_a_message(string text) => Should.Throw<FormatException>(() => ImageReference.Parse(text));
}

using System.Formats.Tar;
using System.IO.Compression;
using System.Reflection.PortableExecutable;
using System.Text.Json.Nodes;
using MLOps.Pipelines.Containers.Layers;
using MLOps.Pipelines.Containers.Oci;
using MLOps.Pipelines.Containers.Packaging;

namespace MLOps.Pipelines.Containers.Tests;

[Collection(ContainersCollection.Name)]
public sealed class ServerImageTests(TestServerFixture server)
{
    BuiltImage Build(string name, string modelFolder, int version = 1)
    {
        using var baseImage = OciLayout.Read(server.BaseLayout);
        var dir = Path.Combine(server.Work, "images", name);
        return ServerImage.Build(baseImage, new ServerImageRequest(server.Published, TestServerFixture.HostName, modelFolder, "test-model", version,
            Path.Combine(dir, "layout"), Path.Combine(dir, "image.tar")), server.Layers);
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void Two_builds_of_the_same_inputs_give_one_digest_and_identical_archives()
    {
        var model = server.ModelFolder(1, 0.25);
        var first = Build("same-1", model);
        var second = Build("same-2", model);

        second.Digest.ShouldBe(first.Digest);
        second.ConfigDigest.ShouldBe(first.ConfigDigest);
        File.ReadAllBytes(second.DockerArchive!).ShouldBe(File.ReadAllBytes(first.DockerArchive!));
        OciDigest.IsValid(first.Digest).ShouldBeTrue();
    }

    [Fact]
    public void A_cached_layer_is_the_layer_a_fresh_compression_gives_and_a_damaged_cache_entry_is_rewritten()
    {
        var content = new LayerContent("model").AddDirectory(server.ModelFolder(1, 0.125), "model");
        var cache = new LayerCache(Path.Combine(server.Work, "small-cache"));
        var fresh = LayerWriter.Write(content, new BlobDirectory(Path.Combine(server.Work, "fresh")));
        var first = LayerWriter.Write(content, new BlobDirectory(Path.Combine(server.Work, "cached-1")), cache);
        var second = LayerWriter.Write(content, new BlobDirectory(Path.Combine(server.Work, "cached-2")), cache);
        first.ShouldBe(fresh);
        second.ShouldBe(fresh);

        File.WriteAllText(Path.Combine(cache.Directory, "blobs", OciDigest.Hex(fresh.Blob.Digest)), "damaged");
        var third = LayerWriter.Write(content, new BlobDirectory(Path.Combine(server.Work, "cached-3")), cache);
        third.ShouldBe(fresh);
        OciDigest.OfFile(new BlobDirectory(Path.Combine(server.Work, "cached-3")).PathOf(third.Blob.Digest)).ShouldBe(fresh.Blob.Digest);
    }

    [Fact]
    public void A_new_model_changes_only_the_top_layer()
    {
        var v1 = Build("model-1", server.ModelFolder(1, 0.25), 1);
        var v2 = Build("model-2", server.ModelFolder(2, 0.75), 2);

        v2.Digest.ShouldNotBe(v1.Digest);
        v2.Layers.Count.ShouldBe(v1.Layers.Count);
        v2.Layers.Take(v1.Layers.Count - 1).Select(l => l.Blob.Digest).ShouldBe(v1.Layers.Take(v1.Layers.Count - 1).Select(l => l.Blob.Digest));
        v2.Layers[^1].Blob.Digest.ShouldNotBe(v1.Layers[^1].Blob.Digest);
        v2.Layers[^1].Blob.Size.ShouldBeLessThan(10_000);
        v1.Layers.Count.ShouldBe(server.BaseImage.Layers.Count + 2);
    }

    [Fact]
    public void Layers_are_sorted_ustar_tars_with_fixed_times_and_root_owners_in_a_timeless_gzip()
    {
        var image = Build("tar", server.ModelFolder(1, 0.5));
        var blobs = new BlobDirectory(image.LayoutDirectory);
        foreach (var layer in image.Layers)
        {
            var bytes = blobs.Read(layer.Blob.Digest);
            bytes[..10].ShouldBe(new byte[] { 0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff }, "gzip header without name, time or OS");
            using var reader = new TarReader(new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress));
            var names = new List<string>();
            while (reader.GetNextEntry() is { } entry)
            {
                entry.Format.ShouldBe(TarEntryFormat.Ustar);
                entry.ModificationTime.ShouldBe(DateTimeOffset.FromUnixTimeSeconds(1));
                if (!entry.Name.StartsWith("home/", StringComparison.Ordinal)) entry.Uid.ShouldBe(0, entry.Name);
                names.Add(entry.Name);
            }
            names.ShouldBe(names.Order(StringComparer.Ordinal).ToList(), "entries sorted by path");
            names.ShouldNotBeEmpty();
        }
    }

    [Fact]
    public void The_config_has_no_time_runs_as_a_non_root_user_with_telemetry_off_and_names_the_model()
    {
        var image = Build("config", server.ModelFolder(3, 0.5), 3);
        var config = OciJson.ParseObject(new BlobDirectory(image.LayoutDirectory).Read(image.ConfigDigest), "config");

        config.ContainsKey("created").ShouldBeFalse();
        config["history"]!.AsArray().ShouldAllBe(h => h!["created"] == null);
        config["config"]!["User"]!.GetValue<string>().ShouldBe("1654:1654");
        var env = config["config"]!["Env"]!.AsArray().Select(e => e!.GetValue<string>()).ToList();
        env.ShouldContain("ORT_DISABLE_TELEMETRY=1");
        config["config"]!["Entrypoint"]!.AsArray().Select(e => e!.GetValue<string>()).ShouldBe(["/app/TestServer"]);
        config["config"]!["ExposedPorts"]!.AsObject().ContainsKey("8080/tcp").ShouldBeTrue();
        config["config"]!["Labels"]!["org.mlops-pipelines.model"]!.GetValue<string>().ShouldBe("test-model");
        config["config"]!["Labels"]!["org.mlops-pipelines.version"]!.GetValue<string>().ShouldBe("3");
        config["rootfs"]!["diff_ids"]!.AsArray().Count.ShouldBe(image.Layers.Count);
        image.Tags.ShouldBe(["test-model:v3"]);
    }

    [Fact]
    public void The_docker_archive_names_the_config_and_layers_and_reads_back_as_a_base()
    {
        var image = Build("archive", server.ModelFolder(1, 0.5));
        using (var archive = new TarReader(File.OpenRead(image.DockerArchive!)))
        {
            JsonNode? manifest = null;
            while (archive.GetNextEntry() is { } entry)
                if (entry.Name == "manifest.json") manifest = JsonNode.Parse(entry.DataStream!);
            manifest!.AsArray()[0]!["RepoTags"]!.AsArray().Single()!.GetValue<string>().ShouldBe("test-model:v1");
            manifest[0]!["Layers"]!.AsArray().Count.ShouldBe(image.Layers.Count);
        }

        using var asBase = DockerArchive.Read(image.DockerArchive!);
        asBase.Layers.Select(l => l.Blob.Digest).ShouldBe(image.Layers.Select(l => l.Blob.Digest));
        asBase.Layers.Select(l => l.DiffId).ShouldBe(image.Layers.Select(l => l.DiffId));
    }

    [Fact]
    public void The_host_base_holds_the_loader_libc_and_a_non_root_user_and_is_reproducible()
    {
        var again = Build("unused", server.ModelFolder(1, 0.5));
        again.ShouldNotBeNull();
        var second = BaseImages.HostGlibcBase.Create([server.Published], Path.Combine(server.Work, "base-again"));
        second.Digest.ShouldBe(server.BaseImage.Digest);

        var blobs = new BlobDirectory(server.BaseLayout);
        using var reader = new TarReader(new GZipStream(blobs.Open(server.BaseImage.Layers.Single().Blob.Digest), CompressionMode.Decompress));
        var names = new Dictionary<string, string>();
        while (reader.GetNextEntry() is { } entry)
            names[entry.Name] = entry.DataStream is null ? "" : new StreamReader(entry.DataStream).ReadToEnd();
        names.Keys.ShouldContain(k => k.EndsWith("/libc.so.6", StringComparison.Ordinal));
        names.Keys.ShouldContain(k => k.EndsWith("/libstdc++.so.6", StringComparison.Ordinal));
        names.Keys.ShouldContain(k => k.Contains("ld-linux-x86-64.so.2", StringComparison.Ordinal));
        names["etc/passwd"].ShouldContain("app:x:1654:1654:");
        names["etc/group"].ShouldContain("app:x:1654:");
        names.Keys.ShouldContain("tmp/");
    }

    [Fact]
    public void Publish_drops_the_windows_native_libraries_onnx_runtime_copies()
    {
        server.Publish!.Removed.ShouldContain(f => f.EndsWith("onnxruntime.dll", StringComparison.Ordinal));
        File.Exists(Path.Combine(server.Published, "libonnxruntime.so")).ShouldBeTrue();
        foreach (var dll in Directory.EnumerateFiles(server.Published, "*.dll", SearchOption.AllDirectories))
        {
            using var pe = new PEReader(File.OpenRead(dll));
            pe.PEHeaders.CorHeader.ShouldNotBeNull($"{dll} is a native Windows library");
        }
    }
}

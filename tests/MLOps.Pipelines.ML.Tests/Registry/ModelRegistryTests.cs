using System.Security.Cryptography;
using MLOps.Pipelines.ML.Registry;

namespace MLOps.Pipelines.ML.Tests.Registry;

public sealed class ModelRegistryTests : IDisposable
{
    readonly RegistryFixture _fixture = new();
    ModelRegistry Registry => _fixture.Registry;

    public void Dispose() => _fixture.Dispose();

    [Fact]
    public void Register_records_every_field_and_numbers_versions_monotonically()
    {
        var model = _fixture.ModelFile("the model bytes");
        var first = Registry.Register(new ModelRegistration(
            model,
            new Dictionary<string, string> { ["train"] = "t-digest", ["test"] = "s-digest" },
            "code-fp",
            new Dictionary<string, string> { ["trees"] = "200", ["leaves"] = "63" },
            new Dictionary<string, double> { ["auc"] = 0.851, ["f1"] = 0.5 },
            GitCommit: "c0ffee0000000000000000000000000000000000"));
        var second = _fixture.Register(auc: 0.8);

        first.Version.ShouldBe(1);
        second.Version.ShouldBe(2);
        first.ModelSha256.ShouldBe(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(model))));
        first.ModelBytes.ShouldBe(new FileInfo(model).Length);
        first.ModelFileName.ShouldBe(model.Name);
        first.CreatedBy.ShouldBe("alice");
        first.CreatedAt.ShouldBe(new DateTimeOffset(2025, 3, 1, 9, 0, 0, TimeSpan.Zero));

        var read = Registry.Get(1);
        read.DataDigests.ShouldBe(new Dictionary<string, string> { ["test"] = "s-digest", ["train"] = "t-digest" });
        read.Parameters.ShouldBe(new Dictionary<string, string> { ["leaves"] = "63", ["trees"] = "200" });
        read.Metrics.ShouldBe(new Dictionary<string, double> { ["auc"] = 0.851, ["f1"] = 0.5 });
        read.CodeFingerprint.ShouldBe("code-fp");
        read.GitCommit.ShouldBe("c0ffee0000000000000000000000000000000000");
        read.CreatedAt.ShouldBe(first.CreatedAt);
        read.ModelSha256.ShouldBe(first.ModelSha256);
        Registry.Versions().Select(v => v.Version).ShouldBe([1, 2]);
        _fixture.Blobs.PathOf(first.ModelSha256).FileExists().ShouldBeTrue();
    }

    [Fact]
    public void Register_reads_the_git_commit_of_the_checkout_or_says_unknown_outside_git()
    {
        using var repository = new TemporaryDirectory();
        Git(repository.Path, "init", "-q");
        repository.WriteFile("README.md", "x");
        Git(repository.Path, "add", "README.md");
        Git(repository.Path, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-q", "-m", "first");
        var head = Git(repository.Path, "rev-parse", "HEAD").Trim();

        var inGit = ModelRegistry.ForModel(repository, "m", FileSystemModelBlobStore.ForRepository(repository));
        var registration = RegistrySamples.Registration(repository.WriteFile("model.zip", "m"), "w", 0) with { GitCommit = null };
        inGit.Register(registration).GitCommit.ShouldBe(head);

        var outside = ModelRegistry.ForModel(_fixture.Root, "m", _fixture.Blobs);
        outside.Register(registration).GitCommit.ShouldBe("unknown");
    }

    [Fact]
    public void SetAlias_records_who_when_from_to_and_why_and_ignores_a_move_to_the_same_version()
    {
        _fixture.Register(0.80);
        _fixture.Register(0.82);

        var first = Registry.SetAlias("champion", 1, "first model");
        var second = Registry.SetAlias("champion", 2, "better on review");
        var unchanged = Registry.SetAlias("champion", 2, "again");

        first.ShouldNotBeNull().From.ShouldBeNull();
        second.ShouldNotBeNull();
        second.From.ShouldBe(1);
        second.To.ShouldBe(2);
        second.By.ShouldBe("alice");
        second.Kind.ShouldBe(AliasMoveKind.Set);
        second.Why.ShouldBe("better on review");
        unchanged.ShouldBeNull();
        Registry.History("champion").Count.ShouldBe(2);
        Registry.Get("champion").Version.ShouldBe(2);
        Registry.AliasesOf(2).ShouldBe(["champion"]);
    }

    [Fact]
    public void Promote_moves_the_champion_when_the_challenger_beats_it_and_says_why()
    {
        _fixture.Register(0.830);
        _fixture.Register(0.842);
        _fixture.Register(0.851);
        Registry.SetAlias("challenger", 2, "candidate");
        Registry.Promote(qualityGatePassed: true).Reason.ShouldBe("auc 0.842, no champion before");

        Registry.SetAlias("challenger", 3, "candidate");
        var decision = Registry.Promote(qualityGatePassed: true);

        decision.Promoted.ShouldBeTrue();
        decision.Reason.ShouldBe("auc 0.851 > champion v2 0.842");
        Registry.Get("champion").Version.ShouldBe(3);
        var move = Registry.History("champion")[^1];
        move.ShouldBe(decision.Move);
        move.From.ShouldBe(2);
        move.Kind.ShouldBe(AliasMoveKind.Promote);
    }

    [Fact]
    public void Promote_keeps_the_champion_when_the_gate_failed_the_challenger_is_worse_or_the_margin_is_not_met()
    {
        _fixture.Register(0.842);
        _fixture.Register(0.845);
        _fixture.Register(0.800);
        Registry.SetAlias("champion", 1, "baseline");

        Registry.SetAlias("challenger", 2, "candidate");
        var gateFailed = Registry.Promote(qualityGatePassed: false);
        var marginMissed = Registry.Promote(true, new PromotionPolicy("auc", Margin: 0.005));
        Registry.SetAlias("challenger", 3, "candidate");
        var worse = Registry.Promote(true);

        gateFailed.Promoted.ShouldBeFalse();
        gateFailed.Reason.ShouldContain("quality gate failed");
        marginMissed.Promoted.ShouldBeFalse();
        marginMissed.Reason.ShouldBe("challenger v2 not promoted: auc 0.845 does not beat champion v1 0.842 by at least 0.005");
        worse.Promoted.ShouldBeFalse();
        Registry.Get("champion").Version.ShouldBe(1);
        Registry.History("champion").Count.ShouldBe(1);
    }

    [Fact]
    public void Promote_compares_losses_with_lower_is_better()
    {
        _fixture.Register(0.8, logLoss: 0.40);
        _fixture.Register(0.8, logLoss: 0.35);
        Registry.SetAlias("champion", 1, "baseline");
        Registry.SetAlias("challenger", 2, "candidate");

        var decision = Registry.Promote(true, new PromotionPolicy("log_loss", HigherIsBetter: false));

        decision.Promoted.ShouldBeTrue();
        decision.Reason.ShouldBe("log_loss 0.35 < champion v1 0.4");
    }

    [Fact]
    public void Promote_without_a_challenger_or_metric_fails_with_the_fix()
    {
        _fixture.Register(0.8);
        Should.Throw<ModelRegistryException>(() => Registry.Promote(true))
            .Message.ShouldContain("no 'challenger' alias is set");

        Registry.SetAlias("challenger", 1, "candidate");
        Should.Throw<ModelRegistryException>(() => Registry.Promote(true, new PromotionPolicy("pr_auc")))
            .Message.ShouldContain("v1 has no metric 'pr_auc' to compare; its metrics: auc, log_loss");
    }

    [Fact]
    public void Rollback_walks_the_champion_back_through_its_history_and_stops_at_the_first()
    {
        for (var i = 0; i < 3; i++) _fixture.Register(0.80 + i / 100.0);
        Registry.SetAlias("champion", 1, "first");
        Registry.SetAlias("challenger", 2, "candidate");
        Registry.Promote(true);
        Registry.SetAlias("challenger", 3, "candidate");
        Registry.Promote(true);

        var back = Registry.Rollback("v3 misbehaves in production");
        back.From.ShouldBe(3);
        back.To.ShouldBe(2);
        back.Kind.ShouldBe(AliasMoveKind.Rollback);
        back.Why.ShouldBe("v3 misbehaves in production");
        Registry.Rollback("v2 too").To.ShouldBe(1);
        Registry.Get("champion").Version.ShouldBe(1);

        Should.Throw<ModelRegistryException>(() => Registry.Rollback("once more"))
            .Message.ShouldContain("v1 is the first version it has held, there is no previous champion");
        Registry.History("champion").Select(m => (m.From, m.To, m.Kind)).ShouldBe(
        [
            (null, 1, AliasMoveKind.Set), (1, 2, AliasMoveKind.Promote), (2, 3, AliasMoveKind.Promote),
            (3, 2, AliasMoveKind.Rollback), (2, 1, AliasMoveKind.Rollback),
        ]);
    }

    [Fact]
    public void Rollback_of_an_alias_never_set_is_an_error()
    {
        _fixture.Register(0.8);
        Should.Throw<ModelRegistryException>(() => Registry.Rollback("bad"))
            .Message.ShouldContain("cannot roll back 'champion': it has never been set");
    }

    [Fact]
    public void Get_finds_versions_by_alias_number_and_tag_and_names_what_exists_when_it_does_not()
    {
        _fixture.Register(0.8);
        _fixture.Register(0.9);
        Registry.SetAlias("challenger", 2, "candidate");

        Registry.Get("challenger").Version.ShouldBe(2);
        Registry.Get("1").Version.ShouldBe(1);
        Registry.Get("v2").Version.ShouldBe(2);
        Should.Throw<ModelRegistryException>(() => Registry.Get(7))
            .Message.ShouldBe($"{Registry.File}: version 7 is not registered; registered versions: 1, 2.");
        Should.Throw<ModelRegistryException>(() => Registry.Get("champion"))
            .Message.ShouldBe($"{Registry.File}: unknown alias 'champion'; set aliases: challenger → v2.");
        Should.Throw<ModelRegistryException>(() => Registry.SetAlias("champion", 9, "x"))
            .Message.ShouldContain("version 9 is not registered");
    }

    [Fact]
    public void Download_returns_the_registered_bytes_verified()
    {
        var version = _fixture.Register(0.8, content: "precious model bytes");
        var destination = _fixture.Root / "restored" / "model.zip";

        Registry.Download("v1", destination).ShouldBe(destination);

        File.ReadAllText(destination).ShouldBe("precious model bytes");
        Sha256Of(destination).ShouldBe(version.ModelSha256);
    }

    [Fact]
    public void Download_of_a_corrupted_blob_fails_and_leaves_the_destination_untouched()
    {
        var version = _fixture.Register(0.8, content: "precious model bytes");
        File.WriteAllText(_fixture.Blobs.PathOf(version.ModelSha256), "bit rot");
        var destination = _fixture.Root / "deployed.zip";
        File.WriteAllText(destination, "the model in production");

        var error = Should.Throw<CorruptModelBlobException>(() => Registry.Download(1, destination));

        error.ExpectedDigest.ShouldBe(version.ModelSha256);
        error.ActualDigest.ShouldBe(Convert.ToHexStringLower(SHA256.HashData("bit rot"u8.ToArray())));
        error.Message.ShouldContain(_fixture.Blobs.PathOf(version.ModelSha256));
        File.ReadAllText(destination).ShouldBe("the model in production");
        Directory.GetFiles(_fixture.Root).ShouldBe([destination.ToString()]);
    }

    [Fact]
    public void Download_of_a_blob_missing_from_the_store_says_where_to_get_it()
    {
        var version = _fixture.Register(0.8);
        File.Delete(_fixture.Blobs.PathOf(version.ModelSha256));

        Should.Throw<ModelRegistryException>(() => Registry.Download(1, _fixture.Root / "m.zip"))
            .Message.ShouldContain($"flight-delays v1 (sha256 {version.ModelSha256}) is not in the model store {_fixture.Blobs.Location}");
    }

    [Fact]
    public void Register_rejects_a_missing_model_file_and_non_finite_metrics()
    {
        var missing = _fixture.Root / "artifacts" / "nope.zip";
        Should.Throw<ModelRegistryException>(() => Registry.Register(RegistrySamples.Registration(missing, "w", 0)))
            .Message.ShouldContain($"Cannot register '{missing}': the model file does not exist");

        var model = _fixture.ModelFile("m");
        Should.Throw<ArgumentException>(() => Registry.Register(RegistrySamples.Registration(model, "w", 0, auc: double.NaN)))
            .Message.ShouldContain("Metric 'auc' is NaN");
        File.Exists(Registry.File).ShouldBeFalse();
    }

    [Fact]
    public void Invalid_alias_names_and_empty_reasons_are_rejected()
    {
        _fixture.Register(0.8);
        Should.Throw<ArgumentException>(() => Registry.SetAlias("Champion!", 1, "x")).Message.ShouldContain("Alias 'Champion!' is not valid");
        Should.Throw<ArgumentException>(() => Registry.SetAlias("champion", 1, " ")).Message.ShouldContain("Say why");
        Should.Throw<ArgumentException>(() => ModelRegistry.ForModel(_fixture.Root, "../escape", _fixture.Blobs));
    }

    static string Sha256Of(string path) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));

    static string Git(string directory, params string[] arguments)
    {
        var start = new System.Diagnostics.ProcessStartInfo("git") { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = System.Diagnostics.Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        process.ExitCode.ShouldBe(0, $"git {string.Join(' ', arguments)}: {error}");
        return output;
    }
}

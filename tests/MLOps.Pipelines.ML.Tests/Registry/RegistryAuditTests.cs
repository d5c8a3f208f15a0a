using System.Text.Json.Nodes;
using MLOps.Pipelines.ML.Registry;

namespace MLOps.Pipelines.ML.Tests.Registry;

/// <summary>Registrations and alias moves made inside a build run appear as events in that run's audit record.</summary>
public sealed class RegistryAuditTests
{
    sealed class RegistryBuild : PipelineBuild
    {
        Target Lifecycle => _ => _.Executes(() =>
        {
            var registry = ModelRegistry.ForModel(RootDirectory, "churn", FileSystemModelBlobStore.ForRepository(RootDirectory),
                new ModelRegistryOptions { User = "ana" });
            var first = Register(registry, "one", 0.80);
            registry.SetAlias(ModelAliases.Challenger, first.Version, "candidate");
            registry.Promote(qualityGatePassed: true);
            var second = Register(registry, "two", 0.85);
            registry.SetAlias(ModelAliases.Challenger, second.Version, "candidate");
            registry.Promote(qualityGatePassed: true);
            var third = Register(registry, "three", 0.84);
            registry.SetAlias(ModelAliases.Challenger, third.Version, "candidate");
            registry.Promote(qualityGatePassed: true); // declined: worse than the champion
            registry.Rollback("v2 mis-scores new customers");
        });

        ModelVersion Register(ModelRegistry registry, string name, double auc)
        {
            var file = RootDirectory / $"{name}.zip";
            File.WriteAllText(file, name);
            return registry.Register(new ModelRegistration(file, new Dictionary<string, string> { ["train"] = new string('a', 64) }, "code",
                new Dictionary<string, string>(), new Dictionary<string, double> { ["auc"] = auc }, GitCommit: "unknown"));
        }
    }

    [Fact]
    public void Registry_changes_in_a_run_are_events_of_its_audit_record()
    {
        using var root = new TemporaryDirectory();
        Directory.CreateDirectory(root.Path / ".nuke");
        PipelineBuild.Execute<RegistryBuild>(["Lifecycle", "--root", root.Path]).ShouldBe(0);

        var line = File.ReadAllLines(root.Path / ".nuke" / "audit" / "audit.log").ShouldHaveSingleItem();
        var events = JsonNode.Parse(line)!["events"]!.AsArray().Select(e => (
            Kind: e!["kind"]!.GetValue<string>(),
            Fields: e["fields"]!.AsObject().ToDictionary(f => f.Key, f => f.Value!.GetValue<string>()))).ToList();

        events.Count(e => e.Kind == "registry.register").ShouldBe(3);
        var moves = events.Where(e => e.Kind == "registry.alias").Select(e => e.Fields).ToList();
        moves.Select(m => $"{m["alias"]} {m["from"]}->{m["to"]} {m["kind"]}").ShouldBe(
        [
            "challenger ->1 Set", "champion ->1 Promote", "challenger 1->2 Set", "champion 1->2 Promote",
            "challenger 2->3 Set", "champion 2->1 Rollback",
        ]);
        moves.Last()["why"].ShouldBe("v2 mis-scores new customers");
        moves.Last()["by"].ShouldBe("ana");
        events.Single(e => e.Kind == "registry.promotion-declined").Fields["why"].ShouldContain("does not beat champion v2");
    }

    [Fact]
    public void Outside_a_build_run_the_registry_works_and_reports_nothing()
    {
        using var fixture = new RegistryFixture();
        fixture.Register(0.8).Version.ShouldBe(1);
        AuditEvents.Record("registry.register", new Dictionary<string, string>()).ShouldBeFalse();
    }
}

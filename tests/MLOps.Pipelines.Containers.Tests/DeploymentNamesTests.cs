using MLOps.Pipelines.Containers.Deployment;
using MLOps.Pipelines.Containers.Naming;

namespace MLOps.Pipelines.Containers.Tests;

/// <summary>Issue 9, defect 1: names that become paths are validated, and every path stays inside its root.</summary>
public sealed class DeploymentNamesTests
{
    [Theory]
    [InlineData("flight-delays")]
    [InlineData("churn.v2")]
    [InlineData("a_b")]
    [InlineData("0model")]
    public void Registry_style_model_names_pass(string name) => DeploymentNames.ModelName(name).ShouldBe(name);

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("..")]
    [InlineData("../victim")]
    [InlineData("/tmp/victim")]
    [InlineData("a/b")]
    [InlineData("a\\b")]
    [InlineData(".hidden")]
    [InlineData("-x")]
    [InlineData("Upper")]
    [InlineData("with space")]
    [InlineData("nul\0")]
    public void Other_model_names_fail_with_a_message_naming_the_rule(string? name)
    {
        var error = Should.Throw<ArgumentException>(() => DeploymentNames.ModelName(name));
        error.Message.ShouldContain("lowercase letters, digits");
        error.Message.ShouldContain(name ?? "null");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("../prod")]
    [InlineData("/etc")]
    [InlineData("a.b")]
    [InlineData("staging/x")]
    public void Bad_environment_names_fail(string? name) =>
        Should.Throw<ArgumentException>(() => DeploymentNames.Environment(name)).Message.ShouldContain("--deploy-environment");

    [Theory]
    [InlineData("..")]
    [InlineData(".")]
    [InlineData("")]
    [InlineData(null)]
    [InlineData("/tmp/victim")]
    [InlineData("a/../../b")]
    [InlineData("x\0y")]
    public void A_part_that_could_leave_the_root_is_refused(string? part)
    {
        var root = Path.Combine(Path.GetTempPath(), "contained-root");
        Should.Throw<ArgumentException>(() => ContainedPath.Resolve(root, "deployments", part));
    }

    [Fact]
    public void A_plain_part_resolves_inside_the_root()
    {
        var root = Path.Combine(Path.GetTempPath(), "contained-root");
        ContainedPath.Resolve(root, "deployments", "staging.json").ShouldBe(Path.Combine(root, "deployments", "staging.json"));
        ContainedPath.IsInside(root, Path.Combine(root, "..", "contained-root-sibling")).ShouldBeFalse();
    }

    [Fact]
    public void A_deployment_store_refuses_hostile_environments_before_touching_a_file()
    {
        using var folder = new TemporaryDirectory("store-");
        var root = folder.Path;
        var store = new DeploymentStore(root / "models" / "flight-delays", root / "state");
        Should.Throw<ArgumentException>(() => store.Records("../../victim"));
        Should.Throw<ArgumentException>(() => store.Live(""));
        Should.Throw<ArgumentException>(() => store.Live(null!));
        Should.Throw<ArgumentException>(() => new DeploymentStore(Path.GetPathRoot(root)!, root / "state"));
        Directory.EnumerateFileSystemEntries(root).ShouldBeEmpty();
    }
}

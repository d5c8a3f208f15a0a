using MLOps.Pipelines.CI;
using MLOps.Pipelines.Internal.CI;

namespace MLOps.Pipelines.Tests.CI;

/// <summary>
/// <c>[CiVariable]</c>: configuration every job takes from a CI/CD variable (the model store's address, say), declared
/// by the build, never written into the generated files as a value.
/// </summary>
public sealed class CiVariableTests
{
    static readonly CiBuild WithStore = CiTestBuilds.Demo with { Variables = [new("MODEL_STORE", "MLOPS_MODEL_STORE")] };

    [Fact]
    public void GitHub_jobs_read_the_repository_variable_under_the_parameters_environment_name()
    {
        var workflow = CiYaml.Parse(GitHubActionsGenerator.Generate(CiTestBuilds.GitHubCi(), WithStore));
        workflow.Text("env", "MODEL_STORE").ShouldBe("${{ vars.MLOPS_MODEL_STORE }}");

        CiYaml.Parse(GitHubActionsGenerator.Generate(CiTestBuilds.GitHubCi(), CiTestBuilds.Demo)).At("env").Has("MODEL_STORE").ShouldBeFalse();
    }

    [Fact]
    public void GitLab_jobs_read_the_project_variable_and_the_header_names_it()
    {
        var yaml = GitLabCiGenerator.Generate([CiTestBuilds.GitLabCi()], WithStore);
        yaml.ShouldContain("MLOPS_MODEL_STORE");
        yaml.Split('\n').First(l => l.StartsWith("# Expects these CI/CD variables", StringComparison.Ordinal)).ShouldContain("MLOPS_MODEL_STORE");
        CiYaml.Parse(yaml).Text("variables", "MODEL_STORE").ShouldBe("$MLOPS_MODEL_STORE");

        // A project variable of the engine's own name needs no mapping: GitLab exports it to every job as it is.
        var same = CiTestBuilds.Demo with { Variables = [new("MODEL_STORE", "MODEL_STORE")] };
        CiYaml.Parse(GitLabCiGenerator.Generate([CiTestBuilds.GitLabCi()], same)).At("variables").Has("MODEL_STORE").ShouldBeFalse();
    }

    [Fact]
    public void A_parameter_is_exported_under_its_environment_name_and_a_plain_name_as_it_is()
    {
        CiConfiguration.Variables([new CiVariableAttribute("Trees", "MLOPS_TREES"), new CiVariableAttribute("DOCKER_HOST", "MLOPS_DOCKER_HOST")], CiTestBuilds.Demo)
            .ShouldBe([new CiVariable("TREES", "MLOPS_TREES"), new CiVariable("DOCKER_HOST", "MLOPS_DOCKER_HOST")]);
        CiConfiguration.Variables([new CiVariableAttribute("schema-version", "V")], CiTestBuilds.Demo).Single().EnvironmentName.ShouldBe("SCHEMA_VERSION");
    }

    [Theory]
    [InlineData("RegistryToken", "MLOPS_TOKEN", "is a secret")]
    [InlineData("Trees", "MLOPS-TREES", "is not a CI/CD variable name")]
    [InlineData("not a name", "X", "neither a parameter of the build nor a variable name")]
    [InlineData("OMP_WAIT_POLICY", "X", "already set for every job")]
    public void Bad_declarations_are_refused_with_the_fix(string parameter, string variable, string message)
    {
        Should.Throw<CiConfigurationException>(() => CiConfiguration.Variables([new CiVariableAttribute(parameter, variable)], CiTestBuilds.Demo))
            .Message.ShouldContain(message);
    }

    [Fact]
    public void The_same_environment_variable_twice_is_refused()
    {
        Should.Throw<CiConfigurationException>(() => CiConfiguration.Variables(
                [new CiVariableAttribute("Trees", "A"), new CiVariableAttribute("TREES", "B")], CiTestBuilds.Demo))
            .Message.ShouldContain("TREES is already set");
    }
}

using MLOps.Pipelines.Containers.Deployment;

namespace MLOps.Pipelines.Containers.Tests;

// In the containers collection: one test changes DOCKER_HOST, which the Docker tests read.
[Collection(ContainersCollection.Name)]
public sealed class ServerRuntimesTests
{
    [DockerFact]
    public async Task Without_a_choice_docker_is_used_where_an_engine_answers() =>
        (await ServerRuntimes.ChooseAsync(null)).ShouldBe(ServerRuntimes.Docker);

    [Fact]
    public async Task Without_a_choice_and_without_an_engine_the_process_runtime_is_used()
    {
        var saved = Environment.GetEnvironmentVariable("DOCKER_HOST");
        var nowhere = Path.Combine(Path.GetTempPath(), $"no-docker-{Guid.NewGuid():N}.sock");
        try
        {
            Environment.SetEnvironmentVariable("DOCKER_HOST", "unix://" + nowhere);
            (await ServerRuntimes.ChooseAsync("")).ShouldBe(ServerRuntimes.Process);
        }
        finally
        {
            Environment.SetEnvironmentVariable("DOCKER_HOST", saved);
        }
    }

    [Theory]
    [InlineData("docker")]
    [InlineData("process")]
    public async Task A_named_runtime_is_taken_as_it_is(string name) => (await ServerRuntimes.ChooseAsync(name)).ShouldBe(name);

    [Fact]
    public async Task An_unknown_runtime_is_a_usage_error_naming_the_choices() =>
        (await Should.ThrowAsync<ArgumentException>(() => ServerRuntimes.ChooseAsync("kubernetes"))).Message.ShouldContain("use docker or process");
}

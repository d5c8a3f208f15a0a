using MLOps.Pipelines.Containers.Deployment;

namespace MLOps.Pipelines.Containers.Tests;

/// <summary>
/// What the machine offers the tests: a Docker engine (DOCKER_HOST) and an OCI registry (MLOPS_TEST_REGISTRY), both
/// started by .ci/run. On a developer's machine without them those tests skip; under CI=true they never skip.
/// </summary>
static class TestEnvironment
{
    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    static readonly Lazy<bool> Engine = new(() => DockerRuntime.EngineAnswersAsync(TimeSpan.FromSeconds(3)).GetAwaiter().GetResult());

    public static bool EngineAnswers => Engine.Value;

    public static string? Registry => Environment.GetEnvironmentVariable("MLOPS_TEST_REGISTRY") is { Length: > 0 } r ? r : null;
}

/// <summary>A test that needs the Docker engine: skipped where none answers, unless CI=true (then it fails).</summary>
sealed class DockerFactAttribute : FactAttribute
{
    public DockerFactAttribute()
    {
        if (!TestEnvironment.IsCi && !TestEnvironment.EngineAnswers) Skip = "no Docker engine answers (DOCKER_HOST); .ci/run starts one";
    }
}

/// <summary>A test that needs an OCI registry: skipped without MLOPS_TEST_REGISTRY, unless CI=true (then it fails).</summary>
sealed class RegistryFactAttribute : FactAttribute
{
    public RegistryFactAttribute()
    {
        if (!TestEnvironment.IsCi && TestEnvironment.Registry is null) Skip = "MLOPS_TEST_REGISTRY is not set; .ci/run starts a registry";
    }
}

using MLOps.Pipelines.Serving.Tests.ModelStore;

namespace MLOps.Pipelines.Serving.Tests.Delivery;

/// <summary>
/// The OCI registry the delivery tests push to: .ci/run's (MLOPS_TEST_REGISTRY) when it answers, else a Debian
/// docker-registry started for the test. No registry at all skips the test, except under CI=true, where it fails.
/// </summary>
internal static class TestImageRegistry
{
    public static async Task<string> AddressAsync(Func<DockerRegistryProcess> startOwn)
    {
        if (Environment.GetEnvironmentVariable("MLOPS_TEST_REGISTRY") is { Length: > 0 } given)
        {
            if (await AnswersAsync(given)) return given;
            if (ExternalTool.InCi) throw new InvalidOperationException($"MLOPS_TEST_REGISTRY={given} does not answer /v2/; .ci/run starts it");
        }
        return startOwn().Address; // skips outside CI when docker-registry is not installed
    }

    static async Task<bool> AnswersAsync(string address)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(3) };
        try
        {
            using var response = await http.GetAsync(new Uri($"http://{address}/v2/"));
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException) { return false; }
        catch (TaskCanceledException) { return false; }
    }
}

using System.Diagnostics;

namespace MLOps.Pipelines.Containers.Deployment;

/// <summary>Waits for <c>GET /v2/health/ready</c> to answer 200, failing early when the server is gone.</summary>
public static class ReadinessProbe
{
    public const string Path = "/v2/health/ready";
    static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(2) };

    /// <returns>How long the server took to become ready.</returns>
    public static async Task<TimeSpan> WaitAsync(Uri baseUrl, Func<Task<bool>> isAlive, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var probe = new Uri(baseUrl, Path);
        var lastAnswer = "no answer";
        var checks = 0;
        while (clock.Elapsed < timeout)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                using var response = await Http.GetAsync(probe, cancellationToken);
                if ((int)response.StatusCode == 200) return clock.Elapsed;
                lastAnswer = $"{(int)response.StatusCode}";
            }
            catch (HttpRequestException e)
            {
                lastAnswer = e.Message;
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                lastAnswer = "timed out";
            }
            if (++checks % 5 == 0 && !await isAlive())
                throw new DeploymentException($"the server for {baseUrl} exited before it was ready (last answer to {Path}: {lastAnswer}); see its log");
            await Task.Delay(50, cancellationToken);
        }
        throw new DeploymentException($"{probe} was not ready within {timeout.TotalSeconds:0} s (last answer: {lastAnswer})");
    }
}

using System.Diagnostics;
using System.Text.Json;

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
                var body = await response.Content.ReadAsStringAsync(cancellationToken);
                lastAnswer = $"{(int)response.StatusCode} {body}";
                // A model whose load or self-check failed never becomes ready: say so now rather than at the timeout.
                if (FailedModel(body) is { } failed)
                    throw new DeploymentException($"the server for {baseUrl} will not become ready: {failed}");
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

    /// <summary>"name failed: cause" of the first model the readiness answer reports as failed (<c>{"models": {"name": "failed: …"}}</c>), else null.</summary>
    static string? FailedModel(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind != JsonValueKind.Object || !document.RootElement.TryGetProperty("models", out var models)
                || models.ValueKind != JsonValueKind.Object)
                return null;
            foreach (var model in models.EnumerateObject())
            {
                if (model.Value.ValueKind == JsonValueKind.String && model.Value.GetString() is { } status && status.StartsWith("failed", StringComparison.Ordinal))
                    return $"{model.Name} {status}".ReplaceLineEndings(" ");
            }
            return null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

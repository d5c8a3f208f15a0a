using System.Text.Json;

namespace MLOps.Pipelines.Containers.Tests;

/// <summary>What the stand-in server answers, and golden checks over it as a deployment would run them.</summary>
static class GoldenChecks
{
    static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(5) };

    public static async Task<(int Version, double Score)> PredictAsync(Uri url)
    {
        using var answer = JsonDocument.Parse(await Http.GetStringAsync(new Uri(url, "/predict")));
        return (answer.RootElement.GetProperty("version").GetInt32(), answer.RootElement.GetProperty("score").GetDouble());
    }

    public static async Task<JsonElement> IdentityAsync(Uri url)
    {
        using var answer = JsonDocument.Parse(await Http.GetStringAsync(new Uri(url, "/identity")));
        return answer.RootElement.Clone();
    }

    /// <summary>Passes when the server's prediction equals the offline one within 1e-5.</summary>
    public static Func<Uri, CancellationToken, Task> Expect(double offline) => async (url, _) =>
    {
        var (_, score) = await PredictAsync(url);
        if (Math.Abs(score - offline) > 1e-5) throw new InvalidOperationException($"prediction {score} differs from the offline {offline} by more than 1e-5");
    };
}

using System.Text;
using System.Text.Json.Nodes;
using MLOps.Pipelines.Serving.Http;

namespace MLOps.Pipelines.Serving.Tests;

/// <summary>A real <see cref="ModelServer"/> on a free loopback port (Kestrel binds port 0), with a client for it.</summary>
internal sealed class RunningServer : IAsyncDisposable
{
    private RunningServer(ModelServer server, HttpClient client)
    {
        Server = server;
        Client = client;
    }

    public ModelServer Server { get; }
    public HttpClient Client { get; }
    public Uri BaseAddress => Client.BaseAddress!;

    public static async Task<RunningServer> StartAsync(IReadOnlyList<string> modelDirectories, Func<ServerOptions, ServerOptions>? configure = null)
    {
        var options = new ServerOptions
        {
            ModelDirectories = modelDirectories,
            ResolvePipeline = ChurnModelFixture.Resolve,
            Urls = ["http://127.0.0.1:0"],
            MaxBatchRows = 1_000,
            MaxRequestBodyBytes = 1024 * 1024,
        };
        var server = ModelServer.Create(configure?.Invoke(options) ?? options);
        await server.StartAsync();
        await server.WaitUntilLoadedAsync();
        var client = new HttpClient { BaseAddress = new Uri(server.Addresses.Single()), Timeout = TimeSpan.FromSeconds(30) };
        return new RunningServer(server, client);
    }

    public async Task<(int Status, JsonNode? Body)> PostAsync(string path, string json)
    {
        using var response = await Client.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    public async Task<(int Status, JsonNode? Body)> GetAsync(string path)
    {
        using var response = await Client.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    public async Task<string> MetricsAsync() => await Client.GetStringAsync("/metrics");

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Server.StopAsync();
        await Server.DisposeAsync();
    }
}

using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MLOps.Pipelines.Serving.Input;
using MLOps.Pipelines.Serving.Models;
using MLOps.Pipelines.Serving.Telemetry;

namespace MLOps.Pipelines.Serving.Http;

/// <summary>
/// The model server: Kestrel on the given URLs with body-size limits, the Open Inference Protocol v2 routes,
/// <c>/predict</c>, <c>/metrics</c> and the live-input exports. <see cref="StartAsync"/> listens at once (live) and
/// loads the models in the background; each becomes ready when its self-check passes. Stopping drains in-flight
/// requests (up to <see cref="ServerOptions.ShutdownTimeout"/>).
/// </summary>
public sealed class ModelServer : IAsyncDisposable
{
    private readonly Dictionary<string, ServedModel> models;
    private readonly LateListeners lateListeners = new();
    private Task? loading;
    private volatile bool listeningWhenReady;

    private ModelServer(ServerOptions options, ServerMetrics metrics, Dictionary<string, ServedModel> models)
    {
        Options = options;
        Metrics = metrics;
        this.models = models;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.UseUrls([.. options.Urls]);
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Limits.MaxRequestBodySize = options.MaxRequestBodyBytes;
            k.AddServerHeader = false;
            if (options.UrlsWhenReady.Count > 0) k.Configure(new ConfigurationBuilder().Add(lateListeners).Build(), reloadOnChange: true);
        });
        if (options.UrlsWhenReady.Count > 0) builder.WebHost.UseSockets(s => s.CreateBoundListenSocket = LateListeners.CreateSharedSocket);
        builder.Services.Configure<HostOptions>(h => h.ShutdownTimeout = options.ShutdownTimeout);
        App = builder.Build();
        App.Use(ObserveAsync);
        InferenceProtocolEndpoints.Map(App, this);
        PredictEndpoint.Map(App, this);
        TelemetryEndpoints.Map(App, this);
    }

    public ServerOptions Options { get; }
    public ServerMetrics Metrics { get; }
    public WebApplication App { get; }
    public IReadOnlyCollection<ServedModel> Models => models.Values;

    /// <summary>True when every model is ready and the <see cref="ServerOptions.UrlsWhenReady"/> are listened on.</summary>
    public bool Ready => models.Values.All(m => m.Status == ModelStatus.Ready) && (Options.UrlsWhenReady.Count == 0 || listeningWhenReady);

    /// <summary>Why the <see cref="ServerOptions.UrlsWhenReady"/> could not be listened on (their port held by a server that does not share it); null otherwise.</summary>
    public string? ListenFailure { get; private set; }

    /// <summary>The addresses Kestrel bound (with the real port when asked for port 0).</summary>
    public IReadOnlyList<string> Addresses =>
        App.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.ToList() ?? [];

    /// <summary>Reads every model directory's model.json and resolves its pipeline; throws on a bad directory or duplicate name.</summary>
    public static ModelServer Create(ServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.ModelDirectories.Count == 0) throw new ArgumentException("no --model-dir given: name at least one model directory.", nameof(options));
        var metrics = new ServerMetrics();
        var models = new Dictionary<string, ServedModel>(StringComparer.Ordinal);
        foreach (var directory in options.ModelDirectories)
        {
            var model = ServedModel.Open(directory, options.ResolvePipeline, metrics, options.LiveSampleRows, options.Batching, options.WholeGraphInOnnxRuntime, options.TreesInOnnxRuntime);
            if (!models.TryAdd(model.Name, model))
                throw new InvalidDataException($"--model-dir {directory}: model '{model.Name}' is already served from {models[model.Name].Directory}; serve each name once.");
        }

        return new ModelServer(options, metrics, models);
    }

    public ServedModel? Find(string name) => models.GetValueOrDefault(name);

    /// <summary>Starts listening, then loads the models in the background (see <see cref="WaitUntilLoadedAsync"/>).</summary>
    public async Task StartAsync(CancellationToken ct = default)
    {
        await App.StartAsync(ct);
        loading = Task.Run(async () =>
        {
            foreach (var model in models.Values) model.Load();
            if (Options.UrlsWhenReady.Count > 0 && models.Values.All(m => m.Status == ModelStatus.Ready)) await ListenWhenReadyAsync();
        }, ct);
    }

    /// <summary>Has Kestrel bind <see cref="ServerOptions.UrlsWhenReady"/> and waits (10 s at most) until it lists them.</summary>
    private async Task ListenWhenReadyAsync()
    {
        var wanted = Options.UrlsWhenReady.Select(u => new Uri(u)).ToList();
        bool Bound() => wanted.All(w => Addresses.Any(a => Uri.TryCreate(a, UriKind.Absolute, out var bound) && bound.Port == w.Port && bound.Host == w.Host));
        // A port held by a socket that does not share it refuses a trial bind at once; Kestrel's reload only logs that.
        foreach (var url in wanted.Where(u => IPAddress.TryParse(u.Host, out _)))
        {
            try
            {
                LateListeners.CreateSharedSocket(new IPEndPoint(IPAddress.Parse(url.Host), url.Port)).Dispose();
            }
            catch (SocketException e)
            {
                ListenFailure = $"could not listen on {url} once ready: {e.Message} (held by a program that does not share the port)";
                return;
            }
        }
        lateListeners.Open(Options.UrlsWhenReady);
        for (var clock = Stopwatch.StartNew(); clock.Elapsed < TimeSpan.FromSeconds(10); await Task.Delay(20))
        {
            if (!Bound()) continue;
            listeningWhenReady = true;
            return;
        }
        ListenFailure = $"could not listen on {string.Join(", ", Options.UrlsWhenReady)} once ready: the port is held by a program that does not share it";
    }

    /// <summary>Completes when every model has been loaded (ready or failed) and, when all are ready, the <see cref="ServerOptions.UrlsWhenReady"/> bound (or <see cref="ListenFailure"/> set).</summary>
    public Task WaitUntilLoadedAsync() => loading ?? Task.CompletedTask;

    /// <summary>Stops accepting connections and waits for in-flight requests to finish.</summary>
    public async Task StopAsync(CancellationToken ct = default)
    {
        await App.StopAsync(ct);
        if (loading is not null) await loading;
    }

    public async ValueTask DisposeAsync()
    {
        await App.DisposeAsync();
        foreach (var model in models.Values) model.Dispose();
    }

    /// <summary>Metrics for every request, and the error contract: refused input → its 4xx, anything else → 500, never a crash.</summary>
    private async Task ObserveAsync(HttpContext context, RequestDelegate next)
    {
        Metrics.InFlight.Inc();
        var start = Stopwatch.GetTimestamp();
        try
        {
            await next(context);
        }
        catch (InputException e) when (!context.Response.HasStarted)
        {
            await JsonResponse.ErrorAsync(context, e.StatusCode, e.Message);
        }
        catch (Exception e) when (!context.Response.HasStarted && e is not OperationCanceledException)
        {
            App.Logger.LogError(e, "unhandled error on {Path}", context.Request.Path);
            await JsonResponse.ErrorAsync(context, StatusCodes.Status500InternalServerError, $"internal error: {e.GetType().Name}: {e.Message}");
        }
        finally
        {
            Metrics.InFlight.Dec();
            var route = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "unmatched";
            Metrics.ObserveRequest(route, context.Request.Method, context.Response.StatusCode, Stopwatch.GetElapsedTime(start).TotalSeconds);
        }
    }

    /// <summary>The named model when it can score, else an <see cref="InputException"/> (404 unknown, 503 not ready).</summary>
    internal ServedModel ReadyModel(string name, string? version = null)
    {
        var model = Find(name) ?? throw new InputException(StatusCodes.Status404NotFound,
            $"unknown model '{name}' (served: {string.Join(", ", models.Keys.Order(StringComparer.Ordinal))})");
        if (version is not null && version != model.Version)
            throw new InputException(StatusCodes.Status404NotFound, $"model '{name}' version '{version}' is not served (served version: {model.Version})");
        return model.Status switch
        {
            ModelStatus.Ready => model,
            ModelStatus.Loading => throw new InputException(StatusCodes.Status503ServiceUnavailable, $"model '{name}' is still loading"),
            _ => throw new InputException(StatusCodes.Status503ServiceUnavailable, $"model '{name}' is not ready: {model.Failure}"),
        };
    }
}

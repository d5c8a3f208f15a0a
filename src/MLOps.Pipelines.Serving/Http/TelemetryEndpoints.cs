using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using MLOps.Pipelines.Serving.Input;

namespace MLOps.Pipelines.Serving.Http;

/// <summary>
/// <c>GET /metrics</c> (Prometheus text) and the live-input exports a Monitor stage reads (docs/serving.md):
/// <c>GET /live/{name}/sample.csv</c>, a reservoir sample of the raw records in the raw schema, and
/// <c>GET /live/{name}/summary</c>, the computed features' profile in the ML library's feature-summaries format.
/// </summary>
internal static class TelemetryEndpoints
{
    public static void Map(WebApplication app, ModelServer server)
    {
        app.MapGet("/metrics", async (HttpContext c) =>
        {
            c.Response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
            await server.Metrics.WriteAsync(c.Response.Body, c.RequestAborted);
        });
        app.MapGet("/live/{name}/sample.csv", async (HttpContext c, string name) =>
        {
            var model = Model(server, name);
            c.Response.ContentType = "text/csv; charset=utf-8";
            await c.Response.WriteAsync(model.Live.WriteSampleCsv(), c.RequestAborted);
        });
        app.MapGet("/live/{name}/summary", async (HttpContext c, string name) =>
        {
            var model = Model(server, name);
            c.Response.ContentType = "application/json";
            await c.Response.WriteAsync(model.Live.Summary(model.Version), c.RequestAborted);
        });
    }

    private static Models.ServedModel Model(ModelServer server, string name) =>
        server.Find(name) ?? throw new InputException(StatusCodes.Status404NotFound,
            $"unknown model '{name}' (served: {string.Join(", ", server.Models.Select(m => m.Name).Order(StringComparer.Ordinal))})");
}

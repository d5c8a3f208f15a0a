using MLOps.Pipelines.Serving;
using MLOps.Pipelines.Serving.Host;
using MLOps.Pipelines.Serving.Http;
using MLOps.Pipelines.Serving.Models;
using Microsoft.Extensions.Hosting;

// mlops-serve --model-dir DIR [--model-dir DIR …] --urls http://127.0.0.1:PORT [--urls-when-ready http://127.0.0.1:STABLE]
// Exit codes: 0 stopped cleanly (SIGTERM/Ctrl+C after draining), 2 bad usage or a model directory that cannot be served.
HostArguments arguments;
ModelServer server;
try
{
    arguments = HostArguments.Parse(args);
    var defaults = new ServerOptions { ModelDirectories = [], ResolvePipeline = _ => null };
    server = ModelServer.Create(new ServerOptions
    {
        ModelDirectories = arguments.ModelDirectories,
        Urls = arguments.Urls,
        UrlsWhenReady = arguments.UrlsWhenReady,
        ResolvePipeline = CatalogPipelineResolver.Resolve,
        MaxRequestBodyBytes = arguments.MaxBodyBytes ?? defaults.MaxRequestBodyBytes,
        MaxBatchRows = arguments.MaxBatchRows ?? defaults.MaxBatchRows,
        Batching = arguments.Batching,
        WholeGraphInOnnxRuntime = arguments.WholeGraphInOnnxRuntime,
        TreesInOnnxRuntime = arguments.TreesInOnnxRuntime,
    });
}
catch (Exception e) when (e is ArgumentException or IOException or InvalidDataException)
{
    Console.Error.WriteLine($"mlops-serve: {e.Message}");
    return 2;
}

await using (server)
{
    try
    {
        await server.StartAsync();
    }
    catch (IOException e)
    {
        Console.Error.WriteLine($"mlops-serve: cannot listen on {string.Join(", ", arguments.Urls)}: {e.Message}");
        return 2;
    }

    Console.WriteLine($"mlops-serve: listening on {string.Join(", ", server.Addresses)}");
    await server.WaitUntilLoadedAsync();
    foreach (var model in server.Models)
    {
        Console.WriteLine(model.Status == ModelStatus.Ready
            ? $"mlops-serve: ready: {model.Name} version {model.Version} (pipeline {model.Manifest.Pipeline}, self-check passed; {model.ScoringPath})"
            : $"mlops-serve: NOT ready: {model.Name} version {model.Version}: {model.Failure}");
    }
    if (server.ListenFailure is { } failure)
    {
        // Never ready without its stable port: exit at once, so a deployer waiting for ready learns it now, not at its timeout.
        Console.Error.WriteLine($"mlops-serve: {failure}");
        return 2;
    }
    if (arguments.UrlsWhenReady.Count > 0 && server.Ready) Console.WriteLine($"mlops-serve: listening on {string.Join(", ", arguments.UrlsWhenReady)} (ready; port shared)");

    await server.App.WaitForShutdownAsync();
    Console.WriteLine("mlops-serve: stopped after draining in-flight requests");
}

return 0;

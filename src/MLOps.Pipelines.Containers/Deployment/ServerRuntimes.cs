namespace MLOps.Pipelines.Containers.Deployment;

/// <summary>Chooses the runtime for <c>--deploy-target</c>: <c>docker</c>, <c>process</c>, or by default docker where an engine answers.</summary>
public static class ServerRuntimes
{
    public const string Docker = "docker";
    public const string Process = "process";

    /// <summary>The runtime's name for <paramref name="requested"/> (null or empty: detect).</summary>
    public static async Task<string> ChooseAsync(string? requested, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(requested))
            return await DockerRuntime.EngineAnswersAsync(TimeSpan.FromSeconds(2)) ? Docker : Process;
        return requested switch
        {
            Docker or Process => requested,
            _ => throw new ArgumentException($"--deploy-target '{requested}' is unknown: use docker or process (or leave it out to use docker where an engine answers)."),
        };
    }
}

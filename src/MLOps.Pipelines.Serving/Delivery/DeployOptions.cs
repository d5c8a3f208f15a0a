
namespace MLOps.Pipelines.Serving.Delivery;

/// <summary>Deploy's options: environment (default <c>local</c>), target (<c>docker</c>, <c>process</c>, or null: docker where an engine answers), stable port.</summary>
public sealed record DeployOptions(string Environment = DeployOptions.DefaultEnvironment, string? Target = null, int ServePort = DeployOptions.DefaultPort)
{
    public const string DefaultEnvironment = "local";
    public const int DefaultPort = 8080;
}

using System.Text.Json.Serialization;

namespace MLOps.Pipelines.Containers.Deployment;

/// <summary>
/// One deployment attempt, as written beside the model registry: where, what (model version and image digest),
/// how, when, by whom, and whether it went into service — with the cause when it did not.
/// </summary>
public sealed record DeploymentRecord(
    [property: JsonPropertyName("environment")] string Environment,
    [property: JsonPropertyName("model")] string Model,
    [property: JsonPropertyName("version")] int Version,
    [property: JsonPropertyName("image_digest")] string? ImageDigest,
    [property: JsonPropertyName("runtime")] string Runtime,
    [property: JsonPropertyName("url")] string Url,
    [property: JsonPropertyName("kind")] string Kind,
    [property: JsonPropertyName("outcome")] string Outcome,
    [property: JsonPropertyName("cause")] string? Cause,
    [property: JsonPropertyName("time")] DateTimeOffset Time,
    [property: JsonPropertyName("who")] string Who,
    [property: JsonPropertyName("ready_seconds")] double? ReadySeconds,
    [property: JsonPropertyName("switch_downtime_seconds")] double? SwitchDowntimeSeconds)
{
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";
    public const string DeployKind = "deploy";
    public const string RollbackKind = "rollback";
}

using System.Text.Json;
using System.Text.Json.Serialization;

namespace MLOps.Pipelines.ML.Artifacts;

/// <summary>
/// Compiled (source-generated) JSON contracts of the artifacts that up-to-date checks read — Evaluate's gate verdict and
/// Register's receipt, read by their <c>Verifies</c> on every build: reflection-based contracts cost a no-op build the
/// start-up of System.Text.Json's reflection and IL emission. Same settings as <see cref="ArtifactJson.Options"/>.
/// </summary>
[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(GateVerdict))]
[JsonSerializable(typeof(RegistrationReceipt))]
internal sealed partial class ArtifactJsonContext : JsonSerializerContext;

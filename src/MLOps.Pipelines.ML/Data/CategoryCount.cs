using System.Text.Json;
using System.Text.Json.Serialization;

namespace MLOps.Pipelines.ML.Data;

public sealed record CategoryCount(string Value, long Count);

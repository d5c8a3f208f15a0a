using System.Text.Json.Serialization;
using MLOps.Pipelines.Internal.Incremental;

namespace MLOps.Pipelines.Internal.Store;

/// <summary>
/// Source-generated JSON for the cache's records: works where reflection-based serialization is off (trimmed or AOT
/// builds, and .NET 10 file-based programs by default).
/// </summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(ActionRecord))]
[JsonSerializable(typeof(BackupJournal))]
internal sealed partial class CacheJsonContext : JsonSerializerContext;

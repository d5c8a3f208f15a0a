using System.Text.Json;

namespace MLOps.Pipelines.ML.Retraining;

/// <summary>
/// <c>retrain.json</c>: the decision Monitor took, for the targets after it (<c>OnlyWhenDynamic(() =>
/// RetrainDecisionFile.Read(path).Retrain)</c>) and for review. No timestamp, so the same decision is the same bytes.
/// </summary>
public static class RetrainDecisionFile
{
    public const string FileName = "retrain.json";

    static readonly JsonSerializerOptions Options = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static void Write(string path, RetrainDecision decision)
    {
        ArgumentNullException.ThrowIfNull(decision);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        AtomicFile.WriteAllText(Path.GetFullPath(path),
            JsonSerializer.Serialize(new Stored(decision.Retrain, [.. decision.Reasons], decision.Summary), Options) + "\n");
    }

    public static RetrainDecision Read(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path} does not exist: run Monitor first, which decides whether to retrain.", path);
        try
        {
            var stored = JsonSerializer.Deserialize<Stored>(File.ReadAllText(path), Options)
                ?? throw new JsonException("empty document");
            return new RetrainDecision(stored.Retrain, stored.Reasons ?? []);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not a retraining decision ({e.Message}); delete it and run Monitor again.", e);
        }
    }

    sealed record Stored(bool Retrain, string[]? Reasons, string? Summary);
}

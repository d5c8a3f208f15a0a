using System.Text.Json;
using MLOps.Pipelines.ML.Registry;

namespace MLOps.Pipelines.ML.Stages;

/// <summary>What Register records about a model besides its file.</summary>
/// <param name="Why">Why the model was trained (e.g. the retraining decision), kept in the challenger's alias history.</param>
public sealed record RegisterRequest(
    string ModelPath,
    TrainingLineage Lineage,
    IReadOnlyDictionary<string, double> Metrics,
    bool GatePassed,
    PromotionPolicy Policy,
    string? GitCommit = null,
    string? Why = null);

/// <param name="RegisteredNow">False when the model's digest already was the latest version (nothing new recorded).</param>
public sealed record RegisterStageResult(ModelVersion Version, bool RegisteredNow, PromotionDecision Promotion, IReadOnlyList<string> Aliases);

/// <summary>
/// Register: records the model in the registry (binary in the blob store, metadata in <c>models/&lt;name&gt;/registry.json</c>),
/// points <c>challenger</c> at it and promotes it to <c>champion</c> when the gate passed and it beats the champion by the
/// policy's margin. A model whose digest is already the latest version is not registered again. Writes a receipt
/// (<c>registration.json</c>) that later stages read.
/// </summary>
public static class RegisterStage
{
    public const string ReceiptFile = "registration.json";

    public static RegisterStageResult Run(ModelRegistry registry, RegisterRequest request, string receiptPath)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(request);
        var digest = Sha256Of(request.ModelPath);
        var latest = registry.Versions().MaxBy(v => v.Version);
        var registeredNow = latest?.ModelSha256 != digest;
        var version = registeredNow
            ? registry.Register(new ModelRegistration(
                AbsolutePath.Create(Path.GetFullPath(request.ModelPath)),
                request.Lineage.DataDigests,
                request.Lineage.CodeFingerprint,
                request.Lineage.Parameters,
                request.Metrics,
                request.GitCommit))
            : latest!;

        registry.SetAlias(ModelAliases.Challenger, version.Version, $"{request.Why ?? "registered by the pipeline run"} (model sha256 {digest[..12]})");
        var promotion = registry.Promote(request.GatePassed, request.Policy);
        var aliases = registry.AliasesOf(version.Version);
        WriteReceipt(receiptPath, registry.ModelName, version, registeredNow, promotion, aliases);
        return new RegisterStageResult(version, registeredNow, promotion, aliases);
    }

    /// <summary>The registered version a receipt names.</summary>
    public static int ReadVersion(string receiptPath)
    {
        if (!File.Exists(receiptPath)) throw new FileNotFoundException($"{receiptPath} does not exist: run Register first.", receiptPath);
        using var document = JsonDocument.Parse(File.ReadAllText(receiptPath));
        return document.RootElement.GetProperty("version").GetInt32();
    }

    static void WriteReceipt(string path, string model, ModelVersion version, bool registeredNow, PromotionDecision promotion, IReadOnlyList<string> aliases)
    {
        // No timestamps: the receipt of the same model and decision is the same bytes.
        var json = JsonSerializer.Serialize(new
        {
            model,
            version = version.Version,
            model_sha256 = version.ModelSha256,
            registered_now = registeredNow,
            aliases_at_registration = aliases,
            promoted = promotion.Promoted,
            promotion = promotion.Reason,
        }, new JsonSerializerOptions { WriteIndented = true });
        AtomicFile.WriteAllText(Path.GetFullPath(path), json + "\n");
    }

    static string Sha256Of(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"Cannot register '{path}': the model file does not exist. Run Train first.", path);
        return Sha256Digest.OfFile(path);
    }
}

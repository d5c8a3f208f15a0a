using MLOps.Pipelines.ML.Artifacts;
using MLOps.Pipelines.ML.Registry;

namespace MLOps.Pipelines.ML.Stages;

/// <summary>
/// Register: records the model in the registry (binary in the blob store, metadata in <c>models/&lt;name&gt;/registry.json</c>),
/// points <c>challenger</c> at it and promotes it to <c>champion</c> when the gate passed and it beats the champion by the
/// policy's margin. A model whose digest is already the latest version is not registered again. Writes a receipt
/// (<c>registration.json</c>, <see cref="RegistrationReceipt"/>) that later stages read.
/// </summary>
public static class RegisterStage
{
    public const string ReceiptFile = RegistrationReceipt.FileName;

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
    public static int ReadVersion(string receiptPath) => RegistrationReceipt.Read(receiptPath).Version;

    /// <summary>
    /// True when the registry holds the version the receipt names, with the receipt's model digest: Register's effect
    /// is there (a deleted or rewritten registry.json makes it false, so the build registers again).
    /// </summary>
    public static bool IsRecorded(ModelRegistry registry, string receiptPath)
    {
        ArgumentNullException.ThrowIfNull(registry);
        if (!File.Exists(receiptPath)) return false;
        RegistrationReceipt receipt;
        try { receipt = RegistrationReceipt.Read(receiptPath); }
        catch (Exception e) when (e is IOException or System.Text.Json.JsonException or InvalidDataException) { return false; }
        return registry.Versions().Any(v => v.Version == receipt.Version && v.ModelSha256 == receipt.ModelSha256);
    }

    static void WriteReceipt(string path, string model, ModelVersion version, bool registeredNow, PromotionDecision promotion, IReadOnlyList<string> aliases) =>
        new RegistrationReceipt(model, version.Version, version.ModelSha256, registeredNow, aliases, promotion.Promoted, promotion.Reason).Write(path);

    static string Sha256Of(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"Cannot register '{path}': the model file does not exist. Run Train first.", path);
        return Sha256Digest.OfFile(path);
    }
}

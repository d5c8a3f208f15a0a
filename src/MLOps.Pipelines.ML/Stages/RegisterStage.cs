using System.Globalization;
using MLOps.Pipelines.ML.Artifacts;
using MLOps.Pipelines.ML.Registry;
using MLOps.Pipelines.ML.Tasks;

namespace MLOps.Pipelines.ML.Stages;

/// <summary>
/// Register: records the model in the registry (binary in the blob store, metadata in <c>models/&lt;name&gt;/registry.json</c>),
/// points <c>challenger</c> at it and promotes it to <c>champion</c> when the gate passed and it beats the champion by the
/// policy's margin. A model whose digest is already the latest version is not registered again (nor hashed twice, nor
/// copied into a blob store that holds it). Writes a receipt (<c>registration.json</c>, <see cref="RegistrationReceipt"/>)
/// that later stages read: the same bytes for the same registration, however often Register runs.
/// </summary>
public static class RegisterStage
{
    public const string ReceiptFile = RegistrationReceipt.FileName;

    public static RegisterStageResult Run(ModelRegistry registry, RegisterRequest request, string receiptPath)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(request);
        var modelFile = AbsolutePath.Create(Path.GetFullPath(request.ModelPath));
        var digest = Sha256Of(request.ModelPath);
        var championBefore = registry.Aliases().TryGetValue(ModelAliases.Champion, out var before) ? registry.Get(before) : null;
        var versions = registry.Versions();
        var latest = versions.MaxBy(v => v.Version);
        var registeredNow = latest?.ModelSha256 != digest;
        // A model some version already records (a fresh clone retraining it bit for bit): its binary goes back into
        // this machine's blob store, so Package can take that version when it is the champion.
        if (versions.LastOrDefault(v => v.ModelSha256 == digest) is { } known)
            registry.RestoreBinary(known.Version, modelFile);
        var version = registeredNow
            ? registry.Register(new ModelRegistration(
                modelFile,
                request.Lineage.DataDigests,
                request.Lineage.CodeFingerprint,
                request.Lineage.Parameters,
                request.Metrics,
                request.GitCommit))
            : latest!;

        registry.SetAlias(ModelAliases.Challenger, version.Version, $"{request.Why ?? "registered by the pipeline run"} (model sha256 {digest[..12]})");
        var promotion = registry.Promote(request.GatePassed, request.Policy);
        var aliases = registry.AliasesOf(version.Version);
        new RegistrationReceipt(registry.ModelName, version.Version, version.ModelSha256, aliases).Write(receiptPath);
        return new RegisterStageResult(version, registeredNow, promotion, aliases)
        {
            Change = Change(registry.ModelName, version, registeredNow, request, promotion, championBefore),
        };
    }

    /// <summary>
    /// "churn v7 registered: AUC 0.8531 (+0.0007), promoted to champion (was v6)", "… champion unchanged",
    /// "churn not registered: identical to v6". The difference is to the champion before this run.
    /// </summary>
    internal static string Change(string model, ModelVersion version, bool registeredNow, RegisterRequest request, PromotionDecision promotion,
        ModelVersion? championBefore)
    {
        var champion = promotion.Promoted
            ? $"promoted to champion ({(championBefore is null ? "the first" : $"was v{championBefore.Version}")})"
            : request.GatePassed ? "champion unchanged" : "champion unchanged: the quality gate failed";
        if (!registeredNow)
            return $"{model} not registered: identical to v{version.Version}" + (promotion.Promoted ? $", {champion}" : "");
        var metric = request.Policy.Metric;
        if (!request.Metrics.TryGetValue(metric, out var value))
            return $"{model} v{version.Version} registered, {champion}";
        var delta = championBefore is not null && championBefore.Metrics.TryGetValue(metric, out var was)
            ? string.Create(CultureInfo.InvariantCulture, $" ({value - was:+0.0000;-0.0000;+0.0000})")
            : "";
        return string.Create(CultureInfo.InvariantCulture, $"{model} v{version.Version} registered: {ModelTask.Display(metric)} {value:0.0000}{delta}, {champion}");
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

    static string Sha256Of(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"Cannot register '{path}': the model file does not exist. Run Train first.", path);
        return Sha256Digest.OfFile(path);
    }
}

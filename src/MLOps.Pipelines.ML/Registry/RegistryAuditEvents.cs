using System.Globalization;

namespace MLOps.Pipelines.ML.Registry;

/// <summary>
/// Reports every registry change to the audit record of the build run in progress (<see cref="AuditEvents"/>), so the
/// audit trail shows registrations and alias moves beside the run that made them. Outside a build run nothing is sent;
/// the registry's own history still holds the moves.
/// </summary>
internal static class RegistryAuditEvents
{
    public const string Registered = "registry.register";
    public const string AliasMoved = "registry.alias";
    public const string PromotionDeclined = "registry.promotion-declined";

    public static void Registration(string model, ModelVersion version) =>
        AuditEvents.Record(Registered, new Dictionary<string, string>
        {
            ["model"] = model,
            ["version"] = Number(version.Version),
            ["modelSha256"] = version.ModelSha256,
            ["codeFingerprint"] = version.CodeFingerprint,
            ["gitCommit"] = version.GitCommit,
            ["by"] = version.CreatedBy,
        });

    public static void Move(string model, AliasMove move) =>
        AuditEvents.Record(AliasMoved, new Dictionary<string, string>
        {
            ["model"] = model,
            ["alias"] = move.Alias,
            ["from"] = move.From is { } from ? Number(from) : "",
            ["to"] = Number(move.To),
            ["kind"] = move.Kind.ToString(),
            ["by"] = move.By,
            ["why"] = move.Why,
        });

    public static void Declined(string model, PromotionDecision decision) =>
        AuditEvents.Record(PromotionDeclined, new Dictionary<string, string> { ["model"] = model, ["why"] = decision.Reason });

    static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);
}

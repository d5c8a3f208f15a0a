using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using MLOps.Pipelines.ML.Artifacts;

namespace MLOps.Pipelines.ML.Tests.Artifacts;

public sealed class ArtifactJsonTests
{
    // The same settings with reflection only: what every artifact was written with before the compiled contracts.
    static readonly JsonSerializerOptions Reflection = new(ArtifactJson.Options) { TypeInfoResolver = new DefaultJsonTypeInfoResolver() };

    [Fact]
    public void Compiled_contracts_write_and_read_the_same_bytes_as_reflection()
    {
        var verdicts = new[]
        {
            new GateVerdict(true, "AUC 0.8531 ≥ 0.84", "auc", 0.8531, 0.84) { ChampionVersion = "v2", ChampionSha256 = new string('a', 64) },
            new GateVerdict(false, "no value", "log_loss", null, 0.6),
        };
        foreach (var verdict in verdicts)
        {
            var text = ArtifactJson.Serialize(verdict);
            text.ShouldBe(JsonSerializer.Serialize(verdict, Reflection) + "\n");
            text.Contains("\"champion_sha256\"", StringComparison.Ordinal).ShouldBe(verdict.ChampionSha256 is not null); // nulls left out
            JsonSerializer.Deserialize<GateVerdict>(text, ArtifactJson.Options).ShouldBe(verdict);
        }
        var receipt = new RegistrationReceipt("flight-delays", 3, new string('b', 64), ["challenger", "champion"]);
        var receiptText = ArtifactJson.Serialize(receipt);
        receiptText.ShouldBe(JsonSerializer.Serialize(receipt, Reflection) + "\n");
        receiptText.ShouldContain("\"aliases_at_registration\"");
        var read = JsonSerializer.Deserialize<RegistrationReceipt>(receiptText, ArtifactJson.Options)!;
        (read.Model, read.Version, read.ModelSha256).ShouldBe((receipt.Model, receipt.Version, receipt.ModelSha256));
        read.AliasesAtRegistration.ShouldBe(receipt.AliasesAtRegistration);

        // The up-to-date checks' types come from the compiled context, not from reflection.
        ArtifactJson.Options.GetTypeInfo(typeof(GateVerdict)).OriginatingResolver.ShouldBeOfType<ArtifactJsonContext>();
        ArtifactJson.Options.GetTypeInfo(typeof(RegistrationReceipt)).OriginatingResolver.ShouldBeOfType<ArtifactJsonContext>();
    }
}

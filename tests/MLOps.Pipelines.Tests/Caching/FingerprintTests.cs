using MLOps.Pipelines.Internal.Execution;
using MLOps.Pipelines.Internal.Hashing;
using MLOps.Pipelines.Internal.Incremental;

namespace MLOps.Pipelines.Tests.Caching;

public class FingerprintTests
{
    static readonly InputManifest Inputs = new(
        [new ManifestEntry("data/a.csv", 10, "00112233445566778899aabbccddeeff"), new ManifestEntry("data/imgs", 30, "ffeeddccbbaa99887766554433221100", 3)],
        new Dictionary<string, IReadOnlyList<ManifestFile>>());

    static FingerprintInputs Basic() => new("Train", Inputs,
        new Dictionary<string, string> { ["Trees"] = "200", ["Rate"] = "0.1" }, "code-hash", "1",
        new Dictionary<string, string> { ["dotnet"] = "10.0.0", ["Microsoft.ML"] = "5.0.1" }, ["models/model.zip"]);

    [Fact]
    public void The_fingerprint_is_64_hex_digits_and_independent_of_dictionary_and_list_order()
    {
        var a = Fingerprint.Compute(Basic());
        var reordered = Basic() with
        {
            Parameters = new Dictionary<string, string> { ["Rate"] = "0.1", ["Trees"] = "200" },
            Inputs = new InputManifest([.. Inputs.Entries.Reverse()], Inputs.Trees),
        };
        ContentHash.IsHex(a, 64).ShouldBeTrue();
        Fingerprint.Compute(reordered).ShouldBe(a);
        Fingerprint.Compute(Basic()).ShouldBe(a);
    }

    [Fact]
    public void Every_covered_field_changes_the_fingerprint()
    {
        var baseline = Fingerprint.Compute(Basic());
        FingerprintInputs[] variants =
        [
            Basic() with { Target = "Evaluate" },
            Basic() with { CodeHash = "other" },
            Basic() with { Version = "2" },
            Basic() with { Version = null },
            Basic() with { Parameters = new Dictionary<string, string> { ["Trees"] = "300", ["Rate"] = "0.1" } },
            Basic() with { ToolVersions = new Dictionary<string, string> { ["dotnet"] = "10.0.1", ["Microsoft.ML"] = "5.0.1" } },
            Basic() with { Outputs = ["models/other.zip"] },
            Basic() with { Inputs = new InputManifest([Inputs.Entries[0] with { Hash = "00112233445566778899aabbccddeef0" }, Inputs.Entries[1]], Inputs.Trees) },
            Basic() with { Inputs = new InputManifest([Inputs.Entries[0]], Inputs.Trees) },
        ];
        var all = variants.Select(Fingerprint.Compute).Append(baseline).ToList();
        all.Distinct().Count().ShouldBe(all.Count);
    }

    [Fact]
    public void A_value_cannot_imitate_another_field()
    {
        var one = Basic() with { Parameters = new Dictionary<string, string> { ["a"] = "1\nparameter 1:b 1:2" } };
        var two = Basic() with { Parameters = new Dictionary<string, string> { ["a"] = "1", ["b"] = "2" } };
        Fingerprint.Compute(one).ShouldNotBe(Fingerprint.Compute(two));
    }

    [Fact]
    public void The_canonical_text_is_the_documented_layout()
    {
        var inputs = new FingerprintInputs("T", new InputManifest([new ManifestEntry("a", 1, "h")], new Dictionary<string, IReadOnlyList<ManifestFile>>()),
            new Dictionary<string, string> { ["P"] = "v" }, "c", null, new Dictionary<string, string>(), ["o"]);
        Fingerprint.Canonical(inputs).ShouldBe(
            "mlops-pipelines/fingerprint/1\ntarget 1:T\nversion 0:\ncode 1:c\noutput 1:o\nparameter 1:P 1:v\nfile 1:a 1:1 1:h\n");
    }
}

using MLOps.Pipelines.Internal.Execution;
using MLOps.Pipelines.Internal.Hashing;
using MLOps.Pipelines.Internal.Incremental;

namespace MLOps.Pipelines.Tests.Caching;

public class RunExplanationTests
{
    static readonly Dictionary<string, IReadOnlyList<ManifestFile>> NoTrees = new();

    static FingerprintInputs Current(string dataHash = "h1", string trees = "200", string code = "c1", string? version = null,
        InputManifest? inputs = null) =>
        new("Train", inputs ?? new InputManifest([new ManifestEntry("data/x.csv", 5, dataHash)], NoTrees),
            new Dictionary<string, string> { ["Trees"] = trees }, code, version,
            new Dictionary<string, string> { ["Microsoft.ML"] = "5.0.1" }, ["models/model.zip"]);

    static LockEntry Recorded(FingerprintInputs inputs, string outputHash = "o1") =>
        new(Fingerprint.Compute(inputs), inputs.CodeHash, inputs.Version, inputs.Parameters, inputs.ToolVersions,
            inputs.Inputs.Entries, [new ManifestEntry("models/model.zip", 9, outputHash)], new Dictionary<string, double>());

    static readonly ObservedOutput[] OutputsAsRecorded = [new("models/model.zip", new ManifestEntry("models/model.zip", 9, "o1"))];

    [Fact]
    public void Nothing_changed_gives_no_reason() =>
        RunExplanation.Explain(Recorded(Current()), Current(), OutputsAsRecorded).ShouldBeEmpty();

    [Fact]
    public void Never_run() =>
        RunExplanation.Explain(null, Current(), OutputsAsRecorded).ShouldBe(["never run"]);

    [Fact]
    public void Each_change_is_named()
    {
        var previous = Recorded(Current());
        RunExplanation.Explain(previous, Current(trees: "300"), OutputsAsRecorded).ShouldBe(["parameter Trees: 200 → 300"]);
        RunExplanation.Explain(previous, Current(dataHash: "h2"), OutputsAsRecorded).ShouldBe(["input data/x.csv changed"]);
        RunExplanation.Explain(previous, Current(code: "c2"), OutputsAsRecorded).ShouldBe(["code changed"]);
        RunExplanation.Explain(previous, Current(version: "2"), OutputsAsRecorded).ShouldBe(["version changed: (none) → 2"]);
        RunExplanation.Explain(previous, Current() with { ToolVersions = new Dictionary<string, string> { ["Microsoft.ML"] = "5.1.0" } }, OutputsAsRecorded)
            .ShouldBe(["tool Microsoft.ML: 5.0.1 → 5.1.0"]);
        RunExplanation.Explain(previous, Current(), [new("models/model.zip", null)]).ShouldBe(["output models/model.zip missing"]);
        RunExplanation.Explain(previous, Current(), [new("models/model.zip", new ManifestEntry("models/model.zip", 9, "zz"))])
            .ShouldBe(["output models/model.zip modified"]);
    }

    [Fact]
    public void A_changed_directory_names_the_files_that_changed()
    {
        ManifestFile[] before = [new("d/a", 1, "1"), new("d/b", 1, "2"), new("d/c", 1, "3")];
        ManifestFile[] after = [new("d/a", 1, "1"), new("d/b", 1, "9"), new("d/e", 1, "4")];
        var old = new InputManifest([TreeHash.Entry("d", before)], new Dictionary<string, IReadOnlyList<ManifestFile>> { ["d"] = before });
        var now = new InputManifest([TreeHash.Entry("d", after)], new Dictionary<string, IReadOnlyList<ManifestFile>> { ["d"] = after });
        var previous = Recorded(Current(inputs: old));

        RunExplanation.Explain(previous, Current(inputs: now), OutputsAsRecorded, hash => hash == old.Entries[0].Hash ? before : null)
            .ShouldBe(["input d changed (1 modified, 1 added, 1 removed: d/b, d/e, d/c)"]);
        RunExplanation.Explain(previous, Current(inputs: now), OutputsAsRecorded).ShouldBe(["input d changed"]);
    }
}

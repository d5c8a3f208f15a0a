using MLOps.Pipelines.Internal.CI.JobState;

namespace MLOps.Pipelines.Tests.CI.JobState;

public sealed class LockFragmentMergeTests
{
    static LockEntry Entry(string fingerprint, double auc = 0.8) => new(
        fingerprint, "c0de", null,
        new Dictionary<string, string> { ["Trees"] = "200" },
        new Dictionary<string, string> { ["dotnet"] = "10.0" },
        [new ManifestEntry("data/raw.csv", 10, new string('a', 32), null)],
        [new ManifestEntry("artifacts/model", 20, new string('b', 32), 2)],
        new Dictionary<string, double> { ["auc"] = auc });

    static string Lock(params (string Target, LockEntry Entry)[] entries) =>
        LockFile.Serialize(entries.ToDictionary(e => e.Target, e => e.Entry));

    [Fact]
    public void Upstream_entries_replace_the_committed_ones_and_others_stay()
    {
        var committed = new Dictionary<string, LockEntry> { ["Train@A"] = Entry("old"), ["Train@B"] = Entry("b") };

        var merged = LockFragmentMerge.Merge(committed, [
            new LockFragment("ingest/pipelines.lock", Lock(("Ingest@A", Entry("i")))),
            new LockFragment("train/pipelines.lock", Lock(("Train@A", Entry("new", 0.9)))),
        ]);

        merged.Keys.Order().ShouldBe(["Ingest@A", "Train@A", "Train@B"]);
        merged["Train@A"].Fingerprint.ShouldBe("new");
        merged["Train@A"].Metrics["auc"].ShouldBe(0.9);
        merged["Train@B"].Fingerprint.ShouldBe("b");
    }

    [Fact]
    public void Two_fragments_recording_the_same_entry_agree()
    {
        var fragment = Lock(("Ingest@A", Entry("i")));

        var merged = LockFragmentMerge.Merge(new Dictionary<string, LockEntry>(), [new("x/pipelines.lock", fragment), new("y/pipelines.lock", fragment)]);

        merged.Count.ShouldBe(1);
    }

    [Fact]
    public void Two_fragments_disagreeing_about_a_target_name_both_and_the_target()
    {
        var error = Should.Throw<InvalidDataException>(() => LockFragmentMerge.Merge(new Dictionary<string, LockEntry>(), [
            new LockFragment("a/pipelines.lock", Lock(("Train@A", Entry("1111111111111111")))),
            new LockFragment("b/pipelines.lock", Lock(("Train@A", Entry("2222222222222222")))),
        ]));

        error.Message.ShouldContain("b/pipelines.lock: lock fragment conflicts with a/pipelines.lock");
        error.Message.ShouldContain("'Train@A'");
        error.Message.ShouldContain("111111111111 vs 222222222222");
    }

    [Fact]
    public void A_missing_fragment_names_it_and_says_what_to_do()
    {
        var error = Should.Throw<InvalidDataException>(() => LockFragmentMerge.Merge(new Dictionary<string, LockEntry>(), [
            new LockFragment(".nuke/temp/job-state/train-a/pipelines.lock", null),
        ]));

        error.Message.ShouldStartWith(".nuke/temp/job-state/train-a/pipelines.lock: lock fragment missing");
        error.Message.ShouldContain("Re-run the pipeline");
    }

    [Theory]
    [InlineData("{ not json", "not valid JSON")]
    [InlineData("{\"format\": 1}", "unexpected structure")]
    [InlineData("{\"format\": 9, \"targets\": {}}", "format 9 is not supported")]
    public void A_damaged_fragment_names_it(string text, string expected)
    {
        var error = Should.Throw<InvalidDataException>(() => LockFragmentMerge.Merge(new Dictionary<string, LockEntry>(), [
            new LockFragment("ok/pipelines.lock", Lock(("Ingest@A", Entry("i")))),
            new LockFragment("bad/pipelines.lock", text),
        ]));

        error.Message.ShouldStartWith("bad/pipelines.lock:");
        error.Message.ShouldContain(expected);
    }

    [Fact]
    public void A_fragment_holds_only_the_named_targets_with_an_entry()
    {
        var entries = new Dictionary<string, LockEntry> { ["Train@A"] = Entry("t"), ["Ingest@A"] = Entry("i") };

        var fragment = LockFile.Parse(LockFragmentMerge.Fragment(entries, ["Train@A", "Unrecorded"]), "fragment");

        fragment.Keys.ShouldBe(["Train@A"]);
        fragment["Train@A"].Fingerprint.ShouldBe("t");
    }
}

using MLOps.Pipelines.ML.Evaluation;

namespace MLOps.Pipelines.ML.Tests.Evaluation;

public sealed class MetricsDiffTests
{
    private const string Old = """{"auc": 0.80, "f1": 0.5, "confusion_matrix": {"tp": 10, "fp": 3}, "groups": {"female": {"slices": {"0": {"auc": 0.7}}}}}""";
    private const string New = """{"auc": 0.83, "f1": 0.5, "confusion_matrix": {"tp": 12, "fp": 3}, "brier": 0.12}""";

    [Fact]
    public void Changed_added_and_removed_metrics_are_listed_in_key_order()
    {
        var changes = MetricsDiff.Compare(Old, New);

        changes.Select(c => c.Metric).ShouldBe(["auc", "brier", "confusion_matrix.tp", "groups.female.slices.0.auc"]);
        changes[0].Change!.Value.ShouldBe(0.03, 1e-12);
        changes[1].Old.ShouldBeNull();
        changes[3].New.ShouldBeNull();
    }

    [Fact]
    public void Table_looks_like_dvc_metrics_diff()
    {
        var table = MetricsDiff.Format(MetricsDiff.Compare(Old, New), "HEAD", "workspace");

        var lines = table.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines[0].ShouldBe("Metric                      HEAD  workspace  Change");
        lines[1].ShouldBe("auc                         0.8   0.83       +0.03");
        lines[2].ShouldBe("brier                       -     0.12       -");
    }

    [Fact]
    public void All_lists_unchanged_metrics_too_and_no_baseline_means_all_new()
    {
        MetricsDiff.Compare(Old, New, includeUnchanged: true).Select(c => c.Metric).ShouldContain("f1");
        MetricsDiff.Compare(null, New).ShouldAllBe(c => c.Old == null && c.New != null);
        MetricsDiff.Format(MetricsDiff.Compare(New, New)).ShouldBe("No metric changed.\n");
    }

    [Fact]
    public void Broken_json_is_reported_with_its_role()
    {
        Should.Throw<InvalidDataException>(() => MetricsDiff.Compare("{\"auc\": ", New)).Message.ShouldContain("old metrics are not valid JSON");
    }
}

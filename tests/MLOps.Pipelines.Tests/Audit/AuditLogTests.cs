using System.Text.Json.Nodes;
using MLOps.Pipelines.Internal.Audit;

namespace MLOps.Pipelines.Tests.Audit;

/// <summary>The hash chain on a real log file: tampering of every kind is detected and the first broken record named.</summary>
public sealed class AuditLogTests : IDisposable
{
    readonly TemporaryDirectory _directory = new("mlops-audit-");
    readonly AuditLog _log;

    public AuditLogTests() => _log = new AuditLog(_directory["audit.log"]);

    public void Dispose() => _directory.Dispose();

    void AppendRecords(int count)
    {
        for (var i = 0; i < count; i++)
            _log.Append(new JsonObject { ["user"] = "ana", ["exitCode"] = 0, ["targets"] = new JsonArray("Train", $"run-{i}") });
    }

    string[] Lines() => File.ReadAllLines(_log.Path);

    void WriteLines(IEnumerable<string> lines) => File.WriteAllText(_log.Path, string.Concat(lines.Select(l => l + "\n")));

    [Fact]
    public void An_untouched_chain_verifies_and_says_how_many_records_it_checked()
    {
        AppendRecords(5);
        var result = _log.Verify();
        result.Intact.ShouldBeTrue(result.Message);
        result.Checked.ShouldBe(5);
        result.Message.ShouldContain("5 records checked");
        var third = JsonNode.Parse(Lines()[2])!.AsObject();
        third["seq"]!.GetValue<long>().ShouldBe(3);
        third["prev"]!.GetValue<string>().ShouldBe(JsonNode.Parse(Lines()[1])!["hash"]!.GetValue<string>());
    }

    [Fact]
    public void An_edited_field_is_detected_and_its_record_named()
    {
        AppendRecords(5);
        var lines = Lines();
        lines[2] = lines[2].Replace("\"exitCode\":0", "\"exitCode\":1", StringComparison.Ordinal);
        lines[2].ShouldContain("\"exitCode\":1");
        WriteLines(lines);

        var result = _log.Verify();
        result.Intact.ShouldBeFalse();
        result.FirstBroken.ShouldBe("record 3");
        result.Message.ShouldContain("record 3 (line 3) was altered");
    }

    [Fact]
    public void An_edited_record_whose_hash_was_recomputed_breaks_the_next_link()
    {
        AppendRecords(4);
        var lines = Lines();
        var record = JsonNode.Parse(lines[1])!.AsObject();
        record["user"] = "mallory";
        record["hash"] = AuditChain.HashOf(record);
        lines[1] = CanonicalJson.SerializeToString(record);
        WriteLines(lines);

        var result = _log.Verify();
        result.Intact.ShouldBeFalse();
        result.FirstBroken.ShouldBe("record 3");
        result.Message.ShouldContain("does not chain to record 2");
    }

    [Fact]
    public void A_deleted_record_is_detected()
    {
        AppendRecords(5);
        WriteLines(Lines().Where((_, i) => i != 2));
        var result = _log.Verify();
        result.Intact.ShouldBeFalse();
        result.FirstBroken.ShouldBe("record 4");
        result.Message.ShouldContain("record 4 found at line 3");
    }

    [Fact]
    public void Reordered_records_are_detected()
    {
        AppendRecords(5);
        var lines = Lines();
        (lines[1], lines[2]) = (lines[2], lines[1]);
        WriteLines(lines);
        var result = _log.Verify();
        result.Intact.ShouldBeFalse();
        result.FirstBroken.ShouldBe("record 3");
    }

    [Fact]
    public void Records_cut_off_the_end_are_detected_through_the_head()
    {
        AppendRecords(5);
        WriteLines(Lines().Take(3));
        var result = _log.Verify();
        result.Intact.ShouldBeFalse();
        result.FirstBroken.ShouldBe("record 4");
        result.Message.ShouldContain("truncated");
    }

    [Fact]
    public void A_line_that_is_not_a_record_is_named_by_its_line_number()
    {
        AppendRecords(3);
        var lines = Lines();
        lines[1] = lines[1][..(lines[1].Length / 2)];
        WriteLines(lines);
        var result = _log.Verify();
        result.Intact.ShouldBeFalse();
        result.FirstBroken.ShouldBe("line 2");
    }

    [Fact]
    public void A_torn_tail_is_reported_apart_from_tampering_and_set_aside_by_the_next_append()
    {
        AppendRecords(3);
        // What a build killed in the middle of writing its line would leave.
        File.AppendAllText(_log.Path, "{\"commandLine\":[\"Tra");

        var torn = _log.Verify();
        torn.Intact.ShouldBeTrue(torn.Message);
        torn.Checked.ShouldBe(3);
        torn.TornTailBytes.ShouldBe(20);
        torn.Message.ShouldContain("torn tail: 20 bytes after record 3");

        var (seq, _, warning) = _log.Append(new JsonObject { ["user"] = "ana" });
        seq.ShouldBe(4);
        warning.ShouldNotBeNull().ShouldContain("torn tail of 20 bytes");
        File.ReadAllText(_log.Path + ".torn").ShouldContain("{\"commandLine\":[\"Tra");
        var after = _log.Verify();
        after.Intact.ShouldBeTrue(after.Message);
        after.Checked.ShouldBe(4);
        after.TornTailBytes.ShouldBe(0);
    }

    [Fact]
    public void Concurrent_appends_from_many_writers_keep_one_valid_chain()
    {
        // Separate AuditLog instances open separate file descriptions: the flock-based lock excludes them as it
        // excludes separate processes (the end-to-end test runs real concurrent builds).
        const int writers = 8, each = 10;
        Parallel.For(0, writers, new ParallelOptions { MaxDegreeOfParallelism = writers }, w =>
        {
            var log = new AuditLog(_log.Path);
            for (var i = 0; i < each; i++) log.Append(new JsonObject { ["writer"] = w, ["i"] = i });
        });
        var result = _log.Verify();
        result.Intact.ShouldBeTrue(result.Message);
        result.Checked.ShouldBe(writers * each);
    }

    [Fact]
    public void A_missing_log_is_an_empty_intact_chain()
    {
        var result = _log.Verify();
        result.Intact.ShouldBeTrue();
        result.Checked.ShouldBe(0);
    }

    [Fact]
    public void Canonical_serialization_sorts_keys_and_is_stable_through_a_parse()
    {
        var node = new JsonObject { ["b"] = 1.5, ["a"] = new JsonObject { ["z"] = "é", ["y"] = 0.1 } };
        var text = CanonicalJson.SerializeToString(node);
        text.ShouldBe("{\"a\":{\"y\":0.1,\"z\":\"é\"},\"b\":1.5}");
        CanonicalJson.SerializeToString(JsonNode.Parse(text)).ShouldBe(text);
    }
}

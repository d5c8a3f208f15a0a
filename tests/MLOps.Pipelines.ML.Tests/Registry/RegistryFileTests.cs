using System.Security.Cryptography;
using System.Text;
using MLOps.Pipelines.ML.Registry;

namespace MLOps.Pipelines.ML.Tests.Registry;

/// <summary>The registry file is for review in git: its exact shape, its stability, and the errors a broken one gives.</summary>
public sealed class RegistryFileTests : IDisposable
{
    readonly RegistryFixture _fixture = new();
    ModelRegistry Registry => _fixture.Registry;

    public void Dispose() => _fixture.Dispose();

    [Fact]
    public void The_file_has_a_fixed_field_order_sorted_maps_utc_seconds_and_lf_line_ends()
    {
        _fixture.Register(0.851, content: "m1");
        Registry.SetAlias("champion", 1, "first model > none");
        var sha = Convert.ToHexStringLower(SHA256.HashData("m1"u8.ToArray()));

        var expected = $$"""
            {
              "format": 1,
              "model": "flight-delays",
              "aliases": {
                "champion": 1
              },
              "versions": [
                {
                  "version": 1,
                  "modelFile": "model-0.zip",
                  "modelSha256": "{{sha}}",
                  "modelBytes": 2,
                  "data": {
                    "train": "1111111111111111111111111111111111111111111111111111111111111111"
                  },
                  "codeFingerprint": "fp-0.851",
                  "parameters": {
                    "trees": "200"
                  },
                  "metrics": {
                    "auc": 0.851,
                    "log_loss": 0.4
                  },
                  "gitCommit": "unknown",
                  "createdAt": "2025-03-01T09:00:00Z",
                  "createdBy": "alice"
                }
              ],
              "aliasHistory": [
                {
                  "alias": "champion",
                  "from": null,
                  "to": 1,
                  "kind": "set",
                  "by": "alice",
                  "at": "2025-03-01T09:01:00Z",
                  "why": "first model > none"
                }
              ]
            }

            """.Replace("\r\n", "\n");
        File.ReadAllText(Registry.File).ShouldBe(expected);
        File.ReadAllBytes(Registry.File).Take(3).ShouldNotBe(Encoding.UTF8.Preamble.ToArray());
    }

    [Fact]
    public void Maps_are_written_in_ordinal_key_order_whatever_order_they_were_given_in()
    {
        var model = _fixture.ModelFile("m");
        Registry.Register(new ModelRegistration(model,
            new Dictionary<string, string> { ["z"] = "1", ["B"] = "2", ["a"] = "3" }, "fp",
            new Dictionary<string, string> { ["yy"] = "1", ["xx"] = "2" },
            new Dictionary<string, double> { ["recall"] = 0.5, ["auc"] = 0.75 }, "unknown"));

        var text = File.ReadAllText(Registry.File);
        text.IndexOf("\"B\"", StringComparison.Ordinal).ShouldBeLessThan(text.IndexOf("\"a\"", StringComparison.Ordinal));
        text.IndexOf("\"a\"", StringComparison.Ordinal).ShouldBeLessThan(text.IndexOf("\"z\"", StringComparison.Ordinal));
        text.IndexOf("\"xx\"", StringComparison.Ordinal).ShouldBeLessThan(text.IndexOf("\"yy\"", StringComparison.Ordinal));
        text.IndexOf("\"auc\"", StringComparison.Ordinal).ShouldBeLessThan(text.IndexOf("\"recall\"", StringComparison.Ordinal));
    }

    [Fact]
    public void Reading_and_writing_back_gives_the_same_bytes()
    {
        _fixture.Register(0.8);
        _fixture.Register(0.9);
        Registry.SetAlias("challenger", 2, "candidate");
        Registry.Promote(true);
        var before = File.ReadAllText(Registry.File);

        var document = RegistryJson.Read(before, Registry.File);

        RegistryJson.Write(document).ShouldBe(before);
    }

    [Fact]
    public void A_merge_conflict_in_the_file_is_reported_with_file_and_line()
    {
        _fixture.Register(0.8);
        var lines = File.ReadAllLines(Registry.File).ToList();
        lines.Insert(5, "<<<<<<< HEAD");
        File.WriteAllLines(Registry.File, lines);

        var error = Should.Throw<ModelRegistryException>(() => Registry.Get(1));

        error.Message.ShouldStartWith($"{Registry.File}: not valid JSON at line 6");
        error.Message.ShouldContain("Resolve the edit or merge conflict");
    }

    [Fact]
    public void An_alias_that_disagrees_with_its_history_is_reported()
    {
        _fixture.Register(0.8);
        _fixture.Register(0.9);
        Registry.SetAlias("champion", 1, "first");
        File.WriteAllText(Registry.File, File.ReadAllText(Registry.File).Replace("\"champion\": 1", "\"champion\": 2"));

        Should.Throw<ModelRegistryException>(() => Registry.Get("champion"))
            .Message.ShouldContain("alias 'champion' points at version 2 but its last move in aliasHistory goes to version 1");
    }

    [Fact]
    public void A_version_number_that_appears_twice_is_reported_and_nothing_is_written_over_it()
    {
        _fixture.Register(0.8);
        var text = File.ReadAllText(Registry.File);
        var start = text.IndexOf("\n    {", StringComparison.Ordinal) + 1;
        var end = text.IndexOf("\n    }", start, StringComparison.Ordinal) + 6;
        var entry = text[start..end];
        File.WriteAllText(Registry.File, text.Insert(end, ",\n" + entry));
        var broken = File.ReadAllText(Registry.File);

        Should.Throw<ModelRegistryException>(() => _fixture.Register(0.9))
            .Message.ShouldContain("version 1 appears 2 times");
        File.ReadAllText(Registry.File).ShouldBe(broken);
    }

    [Fact]
    public void A_missing_field_is_named_with_its_path()
    {
        _fixture.Register(0.8);
        File.WriteAllText(Registry.File, File.ReadAllText(Registry.File).Replace("\"codeFingerprint\"", "\"codeFingerprintX\""));

        Should.Throw<ModelRegistryException>(() => Registry.Versions())
            .Message.ShouldBe($"{Registry.File}: versions[0] lacks the field 'codeFingerprint'.");
    }
}

using MLOps.Pipelines.Internal.CI.Yaml;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;
using YamlDotNet.Serialization;

namespace MLOps.Pipelines.Tests.CI;

public sealed class YamlTextTests
{
    static YamlScalarNode ReadBack(string value)
    {
        var yaml = YamlText.Write(new YamlMap().Add("key", value), []);
        return CiYaml.Parse(yaml).At("key").ShouldBeOfType<YamlScalarNode>();
    }

    [Theory]
    [InlineData("on")]
    [InlineData("no")]
    [InlineData("yes")]
    [InlineData("Off")]
    [InlineData("true")]
    [InlineData("null")]
    [InlineData("~")]
    [InlineData("1.10")]
    [InlineData("200")]
    [InlineData("1e3")]
    [InlineData("0x1F")]
    [InlineData("1:20")]
    [InlineData("2024-01-31")]
    [InlineData("0 3 * * *")]
    [InlineData("*/5 * * * *")]
    [InlineData("release/*")]
    [InlineData("${{ github.ref }}")]
    [InlineData("")]
    [InlineData("- item")]
    [InlineData("a: b")]
    [InlineData("value #comment")]
    [InlineData("@at")]
    [InlineData(" padded")]
    public void Ambiguous_strings_are_double_quoted_and_read_back_unchanged(string value)
    {
        var node = ReadBack(value);

        node.Value.ShouldBe(value);
        node.Style.ShouldBe(ScalarStyle.DoubleQuoted);
    }

    [Theory]
    [InlineData("main")]
    [InlineData("ubuntu-latest")]
    [InlineData("./build.sh Train Evaluate --skip")]
    [InlineData("$CI_PIPELINE_SOURCE == \"web\"")]
    [InlineData("mcr.microsoft.com/dotnet/sdk:10.0")]
    [InlineData("v1.10.0")]
    public void Unambiguous_strings_stay_plain(string value)
    {
        var node = ReadBack(value);

        node.Value.ShouldBe(value);
        node.Style.ShouldBe(ScalarStyle.Plain);
    }

    [Fact]
    public void The_github_on_key_is_written_bare_while_an_on_value_is_quoted()
    {
        var yaml = YamlText.Write(new YamlMap().Add(YamlScalar.Verbatim("on"), new YamlMap().Add("push", "on")), []);

        yaml.ShouldBe("on:\n  push: \"on\"\n");
    }

    [Fact]
    public void YamlDotNets_quoting_necessary_strings_leaves_yaml_1_1_booleans_bare_which_is_why_the_model_quotes_them()
    {
        // YamlDotNet 18.1 quotes by the YAML 1.2 core schema: 1.10 is quoted, but on/no are left bare, which a
        // YAML 1.1 reader (PyYAML, go-yaml v2, many CI tools) reads as booleans. Hence the model's own rule.
        var serializer = new SerializerBuilder().WithQuotingNecessaryStrings().Build();

        var yaml = serializer.Serialize(new Dictionary<string, string> { ["on"] = "on", ["answer"] = "no", ["version"] = "1.10" });

        yaml.ShouldBe("on: on\nanswer: no\nversion: \"1.10\"\n", StringCompareShould.IgnoreLineEndings);
        YamlText.Write(new YamlMap().Add(YamlScalar.Verbatim("on"), "on").Add("answer", "no").Add("version", "1.10"), [])
            .ShouldBe("on: \"on\"\nanswer: \"no\"\nversion: \"1.10\"\n");
    }

    [Fact]
    public void Keys_keep_insertion_order_and_lines_end_with_lf()
    {
        var map = new YamlMap().Add("zeta", "1.0").Add("alpha", new YamlSequence().Add(YamlScalar.Text("x"))).Add("mid", true);

        var yaml = YamlText.Write(map, ["banner line"]);

        yaml.ShouldBe("# banner line\nzeta: \"1.0\"\nalpha:\n  - x\nmid: true\n");
        yaml.ShouldNotContain("\r");
    }

    [Fact]
    public void Multi_line_strings_become_literal_blocks()
    {
        var yaml = YamlText.Write(new YamlMap().Add("path", "artifacts/model/\nartifacts/metrics.json\n"), []);

        yaml.ShouldBe("path: |\n  artifacts/model/\n  artifacts/metrics.json\n");
        CiYaml.Parse(yaml).Text("path").ShouldBe("artifacts/model/\nartifacts/metrics.json\n");
    }

    [Fact]
    public void Long_lines_are_not_folded()
    {
        var value = string.Join(" ", Enumerable.Repeat("word", 100));

        YamlText.Write(new YamlMap().Add("run", value), []).ShouldBe($"run: {value}\n");
    }

    [Fact]
    public void A_duplicate_key_is_refused()
    {
        var map = new YamlMap().Add("jobs", "a");

        Should.Throw<InvalidOperationException>(() => map.Add("jobs", "b")).Message.ShouldContain("jobs");
    }
}

using System.Text.RegularExpressions;
using MLOps.Pipelines.ML.Reports;
using MLOps.Pipelines.ML.Tests.Registry;

namespace MLOps.Pipelines.ML.Tests.Reports;

public sealed class HtmlReportTests : IDisposable
{
    readonly TemporaryDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void The_page_has_every_section_and_embeds_each_plot_as_its_exact_png_bytes()
    {
        var report = ReportSamples.Report(_directory);

        var html = HtmlReport.Render(report);

        foreach (var id in new[] { "metrics", "plots", "data-quality", "fairness", "feature-importance", "lineage", "metrics-diff" })
            html.ShouldContain($"<section id=\"{id}\">");
        var images = Regex.Matches(html, "<img src=\"data:image/png;base64,([^\"]+)\" width=\"(\\d+)\" height=\"(\\d+)\"");
        images.Count.ShouldBe(3);
        Convert.FromBase64String(images[0].Groups[1].Value).ShouldBe(File.ReadAllBytes(report.Plots[0].PngPath));
        images[0].Groups[2].Value.ShouldBe("480");
        images[0].Groups[3].Value.ShouldBe("360");
        Convert.FromBase64String(images[2].Groups[1].Value).ShouldBe(File.ReadAllBytes(report.FeatureImportancePlot!.PngPath));
    }

    [Fact]
    public void The_page_is_self_contained_no_script_no_link_no_remote_url()
    {
        var html = HtmlReport.Render(ReportSamples.Report(_directory));

        html.ShouldNotContain("<script", Case.Insensitive);
        html.ShouldNotContain("<link", Case.Insensitive);
        Regex.IsMatch(html, "(src|href)=\"(?!data:|#)").ShouldBeFalse();
        html.ShouldContain("Content-Security-Policy\" content=\"default-src 'none'; img-src data:; style-src 'unsafe-inline'\"");
    }

    [Fact]
    public void Every_value_is_html_encoded()
    {
        var hostile = "<script>alert('x')</script>\"&";
        var report = new RunReport
        {
            Title = hostile,
            Summary = [new(hostile, hostile)],
            Metrics = [new(hostile, 1)],
            DataQuality = [new(hostile, [hostile], [[hostile]])],
            Lineage = new ReportLineage(new Dictionary<string, string> { [hostile] = hostile }, hostile,
                new Dictionary<string, string> { [hostile] = hostile }, hostile, ModelAliases: [hostile]),
            MetricsDiff = new(hostile, [new(hostile, 1, 2)]),
        };

        var html = HtmlReport.Render(report);

        html.ShouldNotContain("<script", Case.Insensitive);
        html.ShouldNotContain("alert('x')");
        html.ShouldContain("&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;&quot;&amp;");
    }

    [Fact]
    public void Metric_changes_say_better_or_worse_in_words_and_missing_sections_say_so()
    {
        var html = HtmlReport.Render(ReportSamples.Report(_directory) with { Fairness = [], Lineage = null });

        html.ShouldContain("<td class=\"better\">&#x2B;0.0091 (better)</td>");
        html.ShouldContain("<td class=\"worse\">&#x2B;0.0081 (worse)</td>");
        html.ShouldContain("<td>unchanged</td>");
        html.ShouldContain("<td>—</td><td>0.61</td><td>new</td>");
        html.ShouldContain("<span class=\"value\">4.2E-4</span>");
        Regex.Matches(html, "Not recorded for this run").Count.ShouldBe(2);
    }

    [Fact]
    public void The_same_report_renders_to_the_same_bytes()
    {
        var report = ReportSamples.Report(_directory);
        HtmlReport.Render(report).ShouldBe(HtmlReport.Render(report));
    }

    [Fact]
    public void A_missing_or_non_png_plot_fails_naming_it_and_keeps_the_previous_report()
    {
        var output = _directory.Path / "out" / "report.html";
        var good = ReportSamples.Report(_directory);
        HtmlReport.Write(good, output);
        var previous = File.ReadAllText(output);

        var missing = good with { Plots = [new("PR curve", _directory.Path / "pr.png")] };
        Should.Throw<FileNotFoundException>(() => HtmlReport.Write(missing, output))
            .Message.ShouldBe($"Report image 'PR curve': '{_directory.Path / "pr.png"}' does not exist. Run the stage that draws it first.");
        var notPng = good with { Plots = [new("Histogram", _directory.WriteFile("histogram.png", "<svg/>"))] };
        Should.Throw<InvalidDataException>(() => HtmlReport.Write(notPng, output))
            .Message.ShouldContain("is not a PNG file");

        File.ReadAllText(output).ShouldBe(previous);
        Directory.GetFiles(output.Parent!).ShouldBe([output.ToString()]);
    }

    [Fact]
    public void A_table_row_with_the_wrong_number_of_cells_is_named()
    {
        var report = new RunReport { Title = "t", Fairness = [new("By sex", ["group", "TPR"], [["f", "0.6"], ["m"]])] };

        Should.Throw<ArgumentException>(() => HtmlReport.Render(report))
            .Message.ShouldBe("Report table 'By sex': row 2 has 1 cells but the table has 2 columns (group, TPR).");
    }
}

using System.Text.Json;
using MLOps.Pipelines.ML.Reports;
using MLOps.Pipelines.ML.Tests.Registry;
using SkiaSharp;

namespace MLOps.Pipelines.ML.Tests.Reports;

/// <summary>The report as a person sees it: opened in headless Chromium, driven over the DevTools protocol.</summary>
public sealed class ChromiumReportTests : IDisposable
{
    readonly TemporaryDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task The_report_renders_in_chromium_with_every_image_loaded_no_console_error_and_no_request()
    {
        var report = ReportSamples.Report(_directory);
        var file = HtmlReport.Write(report, _directory.Path / "report.html");
        var url = new Uri(file).AbsoluteUri;

        await using var chromium = await HeadlessChromium.StartAsync();
        var load = await chromium.LoadAsync(url);

        load.Errors.ShouldBeEmpty();
        load.Requests.Where(r => r != url && !r.StartsWith("data:", StringComparison.Ordinal)).ShouldBeEmpty();
        (await chromium.EvaluateAsync("document.title")).GetString().ShouldBe(report.Title);
        var headings = await chromium.EvaluateAsync("[...document.querySelectorAll('section[id] > h2')].map(h => h.parentElement.id + ':' + h.textContent)");
        headings.EnumerateArray().Select(h => h.GetString()).ShouldBe(
        [
            "metrics:Metrics", "plots:Plots", "data-quality:Data quality", "fairness:Fairness",
            "feature-importance:Feature importance", "lineage:Lineage", "metrics-diff:Metrics diff",
        ]);
        var images = await chromium.EvaluateAsync("[...document.images].map(i => ({ w: i.naturalWidth, h: i.naturalHeight, ok: i.complete && i.naturalWidth > 0 }))");
        images.EnumerateArray().Select(i => (i.GetProperty("w").GetInt32(), i.GetProperty("h").GetInt32(), i.GetProperty("ok").GetBoolean()))
            .ShouldBe([(480, 360, true), (400, 300, true), (420, 300, true)]);
        (await chromium.EvaluateAsync("document.querySelectorAll('#fairness tbody tr').length")).GetInt32().ShouldBe(2);
        (await chromium.EvaluateAsync("document.querySelector('#metrics .card .value').textContent")).GetString().ShouldBe("0.8512");
        (await chromium.EvaluateAsync("document.querySelector('#metrics-diff td.better').textContent")).GetString().ShouldBe("+0.0091 (better)");
        (await chromium.EvaluateAsync("document.querySelector('#lineage').textContent.includes('challenger, champion')")).GetBoolean().ShouldBeTrue();

        var screenshot = await chromium.ScreenshotAsync();
        KeepForInspection(file, screenshot);
        DistinctColours(screenshot).ShouldBeGreaterThan(20, "the screenshot looks blank");
    }

    [Fact]
    public async Task The_checks_catch_a_broken_image_a_console_error_and_an_outside_request()
    {
        // A page that breaks each rule the report must keep, so the test above can fail.
        var page = _directory.WriteFile("broken.html", """
            <!DOCTYPE html><html><head><title>broken</title></head><body>
            <img src="data:image/png;base64,AAAA">
            <img src="missing.png">
            <script>console.error('something is wrong');</script>
            </body></html>
            """);
        var url = new Uri(page).AbsoluteUri;

        await using var chromium = await HeadlessChromium.StartAsync();
        var load = await chromium.LoadAsync(url);

        load.Errors.ShouldContain(e => e.Contains("something is wrong", StringComparison.Ordinal));
        load.Requests.ShouldContain(r => r.EndsWith("/missing.png", StringComparison.Ordinal));
        (await chromium.EvaluateAsync("[...document.images].every(i => i.naturalWidth > 0)")).GetBoolean().ShouldBeFalse();
    }

    /// <summary>With MLOPS_TEST_ARTIFACTS set to a folder, keeps the report and its screenshot there for a person to look at.</summary>
    static void KeepForInspection(string report, byte[] screenshot)
    {
        if (Environment.GetEnvironmentVariable("MLOPS_TEST_ARTIFACTS") is not { Length: > 0 } folder) return;
        Directory.CreateDirectory(folder);
        File.Copy(report, Path.Combine(folder, "report.html"), overwrite: true);
        File.WriteAllBytes(Path.Combine(folder, "report-screenshot.png"), screenshot);
    }

    static int DistinctColours(byte[] png)
    {
        using var bitmap = SKBitmap.Decode(png);
        var colours = new HashSet<uint>();
        for (var y = 0; y < bitmap.Height; y += 4)
            for (var x = 0; x < bitmap.Width; x += 4)
                colours.Add((uint)bitmap.GetPixel(x, y));
        return colours.Count;
    }
}

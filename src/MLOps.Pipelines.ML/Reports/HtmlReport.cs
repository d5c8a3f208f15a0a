using System.Text;

namespace MLOps.Pipelines.ML.Reports;

/// <summary>Writes a run's self-contained HTML report (see <see cref="RunReport"/>).</summary>
public static class HtmlReport
{
    /// <summary>The page as text; reads the PNG files the report names.</summary>
    public static string Render(RunReport report) => HtmlReportRenderer.Render(report, PngImage.Load);

    /// <summary>
    /// Renders and writes the page to <paramref name="outputFile"/> through a temporary file and a rename, so a failure
    /// (a missing plot, a malformed table) leaves the previous report as it was.
    /// </summary>
    public static AbsolutePath Write(RunReport report, AbsolutePath outputFile)
    {
        ArgumentNullException.ThrowIfNull(outputFile);
        var html = Render(report);
        AtomicFile.WriteAllText(outputFile, html); // UTF-8 without a byte-order mark
        return outputFile;
    }
}

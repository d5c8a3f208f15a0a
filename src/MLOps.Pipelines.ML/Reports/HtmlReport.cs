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
        outputFile.Parent?.CreateDirectory();
        var temporary = $"{outputFile}.{Guid.NewGuid():N}.tmp";
        try
        {
            File.WriteAllText(temporary, html, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
            File.Move(temporary, outputFile, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
        return outputFile;
    }
}

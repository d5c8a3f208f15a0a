using System.Globalization;
using Microsoft.Data.Analysis;

namespace MLOps.Pipelines.ML.Stages;

/// <summary>The files Prepare wrote into its folder, with an error that names the fix when one is missing.</summary>
internal static class PreparedFiles
{
    public static string Train(string preparedDirectory) => Require(preparedDirectory, PrepareStage.TrainFile);

    public static string Test(string preparedDirectory) => Require(preparedDirectory, PrepareStage.TestFile);

    /// <summary>The monthly batches of a time split (<c>batch-yyyy-MM.parquet</c>), oldest first; none for a random split.</summary>
    public static IReadOnlyList<string> Batches(string preparedDirectory) =>
        Directory.Exists(preparedDirectory)
            ? [.. Directory.EnumerateFiles(preparedDirectory, "batch-*.parquet").Order(StringComparer.Ordinal)]
            : [];

    static string Require(string directory, string file)
    {
        var path = Path.Combine(directory, file);
        return File.Exists(path) ? path : throw new FileNotFoundException($"{path} does not exist: run Prepare first.", path);
    }

    /// <summary>
    /// At most <paramref name="maxRows"/> rows, every k-th, so a costly check (permutation importance, ONNX parity)
    /// sees rows from the whole file in a deterministic way.
    /// </summary>
    public static DataFrame EveryKth(DataFrame frame, long maxRows)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxRows, 1);
        var rows = frame.Rows.Count;
        if (rows <= maxRows) return frame;
        var stride = (rows + maxRows - 1) / maxRows;
        var keep = new PrimitiveDataFrameColumn<bool>("keep", Enumerable.Range(0, checked((int)rows)).Select(i => i % stride == 0));
        return frame.Filter(keep);
    }

    public static string Invariant(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}

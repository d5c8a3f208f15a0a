using MLOps.Pipelines.ML.Data;

namespace MLOps.Pipelines.ML.Tests.Data;

/// <summary>The repository's real data files, and small real-derived variants written into a temporary directory.</summary>
internal static class TestData
{
    public static string File(string name) => RepositoryRoot.Data(name);

    /// <summary>The raw CSV's lines with a change applied (header is line 0), written to a new file.</summary>
    public static string EditCsv(string source, string target, Func<List<string>, List<string>> edit)
    {
        var lines = System.IO.File.ReadAllLines(File(source)).ToList();
        System.IO.File.WriteAllLines(target, edit(lines));
        return target;
    }

    /// <summary>Replaces the field of <paramref name="column"/> on data row <paramref name="row"/> (1-based) of a simple CSV.</summary>
    public static List<string> SetField(List<string> lines, int row, string column, string value)
    {
        var index = lines[0].Split(',').Select(h => h.Trim('"')).ToList().IndexOf(column);
        var fields = lines[row].Split(',');
        fields[index] = value;
        lines[row] = string.Join(',', fields);
        return lines;
    }

    private static readonly SemaphoreSlim SampleLock = new(1, 1);
    private static readonly DateTime July = new(2001, 7, 1);
    private static string? flightsSample;

    /// <summary>
    /// Every 100th row of the real flights file plus the one departure dated 2001-07-01 00:00,
    /// ~30,000 rows over all six months, written once per test run with the file's own schema (deleted at exit).
    /// </summary>
    public static async Task<string> FlightsSampleAsync()
    {
        await SampleLock.WaitAsync();
        try
        {
            if (flightsSample is not null) return flightsSample;
            var path = TemporaryDirectory.ForProcess("mlops-flights-sample-")["flights-sample.parquet"];
            var source = File("flights-3m.parquet");
            var layout = await ParquetChunkReader.ReadLayoutAsync(source);
            await using (var writer = await ParquetChunkWriter.CreateAsync(path, layout))
            {
                await foreach (var chunk in ParquetChunkReader.ReadAsync(source))
                {
                    var dates = chunk.Timestamps("date");
                    var keep = new bool[chunk.RowCount];
                    for (var i = 0; i < keep.Length; i++)
                        keep[i] = (chunk.FirstRow + i) % 100 == 0 || dates[i] >= July;
                    await writer.WriteAsync(chunk.Where(keep, keep.Count(k => k), writer.RowsWritten));
                }
            }
            return flightsSample = path;
        }
        finally
        {
            SampleLock.Release();
        }
    }
}

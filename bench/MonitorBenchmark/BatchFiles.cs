/// <summary>Writes a subset of the raw flights file's rows, one output row group per input row group that keeps any.</summary>
internal static class BatchFiles
{
    public static async Task<long> WriteAsync(string source, string target, Func<DateTime, string, long, bool> keep)
    {
        long written = 0, rowIndex = 0;
        await FlightsRowGroup.CopyAsync(source, target, group =>
        {
            var first = rowIndex;
            var rows = Enumerable.Range(0, group.Count).Where(i => keep(group.Date[i]!.Value, group.Origin[i]!, first + i)).ToArray();
            rowIndex += group.Count;
            written += rows.Length;
            return rows.Length == 0 ? [] : [group.Select(rows)];
        });
        return written;
    }
}

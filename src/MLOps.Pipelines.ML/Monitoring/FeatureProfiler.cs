using MLOps.Pipelines.ML.Data;
using MLOps.Pipelines.ML.Features;
using Parquet;

namespace MLOps.Pipelines.ML.Monitoring;

/// <summary>
/// Reads data sets into feature profiles, streaming one row group (or CSV chunk) at a time: prepared Parquet files
/// (train.parquet, batch-yyyy-MM.parquet) as they are, and raw files (the raw schema, CSV or Parquet) through the
/// library's raw readers, the ingest contract and the pipeline's feature definition.
/// </summary>
public static class FeatureProfiler
{
    private const int MaxNewCategoriesListed = 20;

    /// <summary>A prepared Parquet file (Prepare's output): its numeric and categorical feature columns.</summary>
    public static async Task<FeatureProfile> FromPreparedAsync(string preparedParquet, FeatureSpec spec, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (!File.Exists(preparedParquet)) throw new FileNotFoundException($"{preparedParquet}: the prepared file does not exist (run Prepare first)", preparedParquet);
        var builder = new FeatureProfileBuilder(spec);
        await foreach (var chunk in ParquetChunkReader.ReadAsync(preparedParquet, ct))
        {
            var missing = spec.Features.FirstOrDefault(f => !chunk.Contains(f));
            if (missing is not null)
                throw new InvalidDataException($"{preparedParquet}: no feature column '{missing}' (columns: {string.Join(", ", chunk.ColumnNames)}); is it a prepared file of this pipeline?");
            builder.Add(chunk.RowCount, chunk.Values);
            StepProgress.Report("reference rows profiled", chunk.FirstRow + chunk.RowCount, 0);
        }
        return builder.Build();
    }

    /// <summary>
    /// A file in the raw schema (CSV or Parquet): every row checked against the contract (rows that break it are
    /// counted in the quality report and left out of the profile), <paramref name="window"/> keeping only rows in a time
    /// range (the reference's training months), the features computed as Prepare computes them. When the file has the
    /// label column and <paramref name="preparedOutput"/> is given, the prepared rows are written there for scoring.
    /// </summary>
    public static async Task<RawBatch> FromRawAsync(
        string rawPath, SchemaContract contract, FeatureDefinition features,
        TimeWindow? window = null, string? preparedOutput = null, double maxRejectedFraction = 0.01, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(contract);
        ArgumentNullException.ThrowIfNull(features);
        var format = TabularFormatDetector.Detect(rawPath);
        var labelled = contract.Label is null || await HasColumnAsync(rawPath, format, contract.Label, ct);
        var readContract = labelled ? contract : contract with { Columns = contract.Columns.Where(c => c.Name != contract.Label).ToList() };
        if (window is not null && readContract.Columns.All(c => c.Name != window.Column))
            throw new ArgumentException($"the time window's column '{window.Column}' is not in contract '{contract.Name}'");

        var spec = features.Spec;
        var builder = new FeatureProfileBuilder(spec);
        var quality = new DataQualityAccumulator(readContract);
        var newCategories = new Dictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        var computed = features.Columns.Where(c => c.Kind != FeatureKind.Label).ToList();
        var tempDirectory = Path.Combine(Path.GetTempPath(), "mlops-monitor-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(tempDirectory);
        ParquetChunkWriter? prepared = null;
        long read = 0, accepted = 0;
        try
        {
            using var duplicates = new DuplicateCounter(tempDirectory);
            if (labelled && preparedOutput is not null)
                prepared = await ParquetChunkWriter.CreateAsync(preparedOutput, features.Layout, ct);
            var source = format == TabularFormat.Parquet
                ? ParquetRawSource.ReadAsync(rawPath, readContract, ct)
                : CsvRawSource.ReadAsync(rawPath, readContract, CsvRawSource.DefaultChunkRows, ct);
            await foreach (var raw in source)
            {
                var table = raw.Table;
                var keep = new bool[table.RowCount];
                if (window is null) Array.Fill(keep, true);
                else
                {
                    var times = table.Timestamps(window.Column);
                    for (var i = 0; i < keep.Length; i++) keep[i] = window.Contains(times[i]);
                }
                var inside = (bool[])keep.Clone();
                var inWindow = keep.Count(k => k);
                var reported = new HashSet<(int, string)>();
                void Reject(int row, ContractViolation v)
                {
                    if (!inside[row]) return; // outside the time window: not part of this data set at all
                    if (!reported.Add((row, v.Column)) && v.Rule == ContractRule.Null) return;
                    keep[row] = false;
                    quality.AddViolation(v);
                    if (v.Rule == ContractRule.Category && v.Value is { } value)
                    {
                        if (!newCategories.TryGetValue(v.Column, out var set)) newCategories[v.Column] = set = new SortedSet<string>(StringComparer.Ordinal);
                        if (set.Count < MaxNewCategoriesListed) set.Add(value);
                    }
                }
                foreach (var (row, v) in raw.ReadViolations) Reject(row, v);
                var broken = raw.ReadViolations.Where(v => v.Violation.Rule == ContractRule.ColumnCount).Select(v => v.Row).ToHashSet();
                readContract.ValidateChunk(table, (row, v) => { if (!broken.Contains(row)) Reject(row, v); });

                var keptCount = keep.Count(k => k);
                var good = table.Where(keep, keptCount, accepted);
                quality.AddAccepted(good);
                duplicates.Add(good);
                read += inWindow;
                StepProgress.Report("rows profiled", read, 0);
                accepted += keptCount;
                if (keptCount == 0) continue;

                if (labelled)
                {
                    // Prepare's own computation; rows whose label is missing are dropped, as Prepare drops them.
                    var preparedRows = features.Apply(good, out var hasLabel);
                    var labelledRows = preparedRows.Where(hasLabel, hasLabel.Count(k => k), prepared?.RowsWritten ?? 0);
                    builder.Add(labelledRows.RowCount, labelledRows.Values);
                    if (prepared is not null) await prepared.WriteAsync(labelledRows, ct);
                }
                else
                {
                    var columns = computed.ToDictionary(c => c.Name, c => c.Compute(good), StringComparer.Ordinal);
                    builder.Add(good.RowCount, name => columns[name]);
                }
            }
            if (read == 0)
                throw new DataContractException(rawPath, null, null, ContractRule.EmptyFile,
                    window is null ? "the batch has no data rows" : $"no row of the file falls in the time window {window.From:yyyy-MM-dd}..{window.Until:yyyy-MM-dd} of column '{window.Column}'");
            var report = quality.Build(Path.GetFileName(rawPath), format, read, accepted, duplicates.Count());
            var listed = newCategories.ToDictionary(kv => kv.Key, kv => (IReadOnlyList<string>)kv.Value.ToList(), StringComparer.Ordinal);
            return new RawBatch(builder.Build(), new BatchQuality(report, listed, maxRejectedFraction), labelled, prepared is null ? null : Path.GetFullPath(preparedOutput!));
        }
        finally
        {
            if (prepared is not null) await prepared.DisposeAsync();
            Directory.Delete(tempDirectory, recursive: true);
        }
    }

    private static async Task<bool> HasColumnAsync(string path, TabularFormat format, string column, CancellationToken ct)
    {
        if (format == TabularFormat.Parquet)
        {
            await using var reader = await ParquetReader.CreateAsync(path, null, ct);
            return reader.Schema.DataFields.Any(f => f.Name == column);
        }
        using var text = new StreamReader(path);
        var header = await text.ReadLineAsync(ct) ?? "";
        return header.Split(',').Any(h => h.Trim().Trim('"') == column);
    }
}

using System.Globalization;
using MLOps.Pipelines.ML.Data;
namespace MLOps.Pipelines.ML.Stages;

/// <summary>
/// Ingest + validate: reads a raw Parquet or CSV file chunk by chunk against a <see cref="SchemaContract"/> and
/// writes, into the output directory, <c>data.parquet</c> (the accepted rows, typed as declared),
/// <c>quarantine.csv</c> (every broken rule of every rejected row) and <c>quality.json</c> (<see cref="DataQualityReport"/>).
/// It throws <see cref="DataContractException"/> when the file itself breaks the contract (not Parquet/CSV, empty,
/// missing or mistyped column) or when the rejected share exceeds <see cref="IngestOptions.MaxRejectedFraction"/>;
/// then the output directory is left as it was.
/// </summary>
public static class IngestStage
{
    public const string DataFile = "data.parquet";
    public const string QualityFile = "quality.json";
    public const string QuarantineFile = "quarantine.csv";

    public static IngestResult Run(string rawPath, SchemaContract contract, string outputDirectory, IngestOptions? options = null) =>
        RunAsync(rawPath, contract, outputDirectory, options).GetAwaiter().GetResult();

    public static async Task<IngestResult> RunAsync(string rawPath, SchemaContract contract, string outputDirectory, IngestOptions? options = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(contract);
        options ??= new IngestOptions();
        var format = TabularFormatDetector.Detect(rawPath);
        var fileName = Path.GetFileName(rawPath);
        using var staged = new StagedDirectory(outputDirectory);

        var layout = contract.Columns.Select(c => new ColumnLayout(c.Name, c.Type, c.Nullable)).ToList();
        var quality = new DataQualityAccumulator(contract, options.TopCategories);
        using var duplicates = new DuplicateCounter(options.TempDirectory ?? staged.Staging);
        long read = 0, accepted = 0;
        (long Row, ContractViolation Violation)? firstRejected = null;

        await using (var writer = await ParquetChunkWriter.CreateAsync(Path.Combine(staged.Staging, DataFile), layout, ct))
        using (var quarantine = new QuarantineWriter(Path.Combine(staged.Staging, QuarantineFile)))
        {
            var source = format == TabularFormat.Parquet
                ? ParquetRawSource.ReadAsync(rawPath, contract, ct)
                : CsvRawSource.ReadAsync(rawPath, contract, options.CsvChunkRows, ct);
            await foreach (var raw in source)
            {
                var table = raw.Table;
                var keep = new bool[table.RowCount];
                Array.Fill(keep, true);
                var reported = new HashSet<(int, string)>();
                void Reject(int row, ContractViolation v)
                {
                    // A field that did not parse is also "missing"; report it once, as the type error.
                    if (!reported.Add((row, v.Column)) && v.Rule == ContractRule.Null) return;
                    keep[row] = false;
                    var rowNumber = table.FirstRow + row + 1;
                    quarantine.Write(rowNumber, raw.Lines?[row], v);
                    quality.AddViolation(v);
                    firstRejected ??= (rowNumber, v);
                }
                foreach (var (row, v) in raw.ReadViolations) Reject(row, v);
                var broken = raw.ReadViolations.Where(v => v.Violation.Rule == ContractRule.ColumnCount).Select(v => v.Row).ToHashSet();
                contract.ValidateChunk(table, (row, v) => { if (!broken.Contains(row)) Reject(row, v); });

                var keptCount = keep.Count(k => k);
                var good = table.Where(keep, keptCount, accepted);
                await writer.WriteAsync(good, ct);
                quality.AddAccepted(good);
                duplicates.Add(good);
                read += table.RowCount;
                accepted += keptCount;
                StepProgress.Report("rows ingested", read, 0);
            }
        }

        if (read == 0)
            throw new DataContractException(rawPath, null, null, ContractRule.EmptyFile, "the file has a header/schema but no data rows");
        var rejectedFraction = (double)(read - accepted) / read;
        if (rejectedFraction > options.MaxRejectedFraction)
        {
            var (row, v) = firstRejected!.Value;
            var (share, allowed) = RejectedShare.Format(rejectedFraction, options.MaxRejectedFraction);
            throw new DataContractException(rawPath, row, v.Column, ContractRule.RejectedShare,
                $"{read - accepted} of {read} rows ({share}) break contract '{contract.Name}', more than the allowed {allowed}; " +
                $"the first is row {row}, column '{v.Column}', rule '{v.Rule}': {v.Message}. Fix the data or the contract, " +
                $"or raise --max-rejected-fraction (now {options.MaxRejectedFraction.ToString("R", CultureInfo.InvariantCulture)})");
        }

        var report = quality.Build(fileName, format, read, accepted, duplicates.Count());
        duplicates.Dispose();
        report.Write(Path.Combine(staged.Staging, QualityFile));
        staged.Commit();
        var dir = Path.GetFullPath(outputDirectory);
        return new IngestResult(Path.Combine(dir, DataFile), Path.Combine(dir, QualityFile), Path.Combine(dir, QuarantineFile), report);
    }
}

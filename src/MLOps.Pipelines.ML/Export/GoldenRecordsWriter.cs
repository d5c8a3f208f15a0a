using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using MLOps.Pipelines.ML.Data;
using MLOps.Pipelines.ML.Features;

namespace MLOps.Pipelines.ML.Export;

/// <summary>
/// Writes <c>golden.json</c> at Export: a few raw rows of the ingested data (label removed), their features computed
/// by the pipeline's own <see cref="FeatureDefinition"/>, scored by the exported ONNX model. The rows are spread over
/// the file's first row group and include rows with missing values when there are any.
/// </summary>
public static class GoldenRecordsWriter
{
    public const int DefaultCount = 32;

    /// <param name="onnxPath">The exported model.onnx.</param>
    /// <param name="ingestedParquet">Ingest's typed data.parquet (raw schema fields).</param>
    /// <param name="outputPath">Where to write, normally <c>golden.json</c> next to model.onnx.</param>
    /// <param name="output">The ONNX output holding the probabilities; null picks <c>Probability.output</c> (binary), else <c>Score.output</c>.</param>
    public static GoldenRecords Write(
        string onnxPath, SchemaContract schema, FeatureDefinition features, string ingestedParquet, string outputPath,
        int count = DefaultCount, string? output = null, double tolerance = ExportTolerance)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(features);
        if (count < 1) throw new ArgumentOutOfRangeException(nameof(count), count, "write at least one golden record");
        var chunk = FirstChunk(ingestedParquet);
        var picked = Pick(chunk, count);
        var rows = chunk.Where(picked, picked.Count(p => p), 0);

        var records = Enumerable.Range(0, rows.RowCount).Select(_ => new JsonObject()).ToList();
        foreach (var column in schema.Columns)
        {
            if (column.Name == schema.Label || !rows.Contains(column.Name)) continue;
            var values = rows.Values(column.Name);
            for (var i = 0; i < rows.RowCount; i++) records[i][column.Name] = ToJson(values.GetValue(i));
        }

        var inputs = RawFeatureRows.Compute(features, rows);
        using var options = OnnxParityCheck.QuietOptions();
        using var session = new InferenceSession(onnxPath, options);
        var outputName = output ?? (session.OutputMetadata.ContainsKey(OnnxExporter.ProbabilityOutput) ? OnnxExporter.ProbabilityOutput : "Score.output");
        if (!session.OutputMetadata.ContainsKey(outputName))
            throw new InvalidDataException($"{onnxPath}: has no output '{outputName}' (outputs: {string.Join(", ", session.OutputMetadata.Keys)}).");
        var expected = Score(session, inputs, rows.RowCount, outputName, onnxPath);

        var golden = new GoldenRecords(outputName, tolerance, Sha256Hex(onnxPath), records, expected);
        AtomicFile.WriteAllText(Path.GetFullPath(outputPath), golden.ToJson());
        return golden;
    }

    /// <summary>The tolerance a server's self-check allows, the same as Export's ONNX-vs-ML.NET parity.</summary>
    public const double ExportTolerance = 1e-5;

    internal static string Sha256Hex(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    private static TableChunk FirstChunk(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: the ingested data does not exist (run Ingest first).", path);
        var enumerator = ParquetChunkReader.ReadAsync(path).GetAsyncEnumerator();
        try
        {
            return enumerator.MoveNextAsync().AsTask().GetAwaiter().GetResult()
                ? enumerator.Current
                : throw new InvalidDataException($"{path}: has no rows to take golden records from.");
        }
        finally
        {
            enumerator.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    /// <summary>Evenly spaced rows, plus up to a quarter of them with a missing value, so the check covers imputation.</summary>
    private static bool[] Pick(TableChunk chunk, int count)
    {
        var n = chunk.RowCount;
        var picked = new bool[n];
        var withMissing = Enumerable.Range(0, n)
            .Where(i => chunk.ColumnNames.Any(c => chunk.Values(c).GetValue(i) is null)).Take(Math.Max(1, count / 4));
        foreach (var i in withMissing) picked[i] = true;
        var step = Math.Max(1, n / count);
        for (var i = 0; i < n && picked.Count(p => p) < Math.Min(count, n); i += step) picked[i] = true;
        return picked;
    }

    private static JsonNode? ToJson(object? value) => value switch
    {
        null => null,
        string s => JsonValue.Create(s),
        long l => JsonValue.Create(l),
        double d => double.IsFinite(d) ? JsonValue.Create(d) : null,
        float f => float.IsFinite(f) ? JsonValue.Create(f) : null,
        bool b => JsonValue.Create(b),
        DateTime t => JsonValue.Create(t.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture)),
        _ => throw new InvalidOperationException($"unsupported raw value {value.GetType()}"),
    };

    private static List<float[]> Score(InferenceSession session, IReadOnlyDictionary<string, Array> features, int rows, string output, string onnxPath)
    {
        var inputs = new List<NamedOnnxValue>();
        foreach (var (name, meta) in session.InputMetadata)
        {
            if (!features.TryGetValue(name, out var values))
                throw new InvalidDataException($"{onnxPath}: wants input '{name}', which the feature definition does not compute.");
            inputs.Add(meta.ElementType == typeof(float)
                ? NamedOnnxValue.CreateFromTensor(name, new DenseTensor<float>((float[])values, [rows, 1]))
                // ML.NET reads a missing text value as empty; ONNX string tensors cannot hold null.
                : NamedOnnxValue.CreateFromTensor(name, new DenseTensor<string>(Array.ConvertAll((string?[])values, s => s ?? ""), [rows, 1])));
        }

        using var results = session.Run(inputs, [output]);
        var tensor = results[0].AsTensor<float>();
        var width = (int)(tensor.Length / rows);
        var expected = new List<float[]>(rows);
        var flat = tensor.ToArray();
        for (var i = 0; i < rows; i++) expected.Add(flat.AsSpan(i * width, width).ToArray());
        return expected;
    }
}

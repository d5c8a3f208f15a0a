using System.IO.Compression;
using System.Text.Json;

namespace MLOps.Pipelines.ML.Stages;

/// <summary>
/// Package: a zip holding the ONNX model, its evaluation metrics and <c>model.json</c> (model name, registered version
/// and digest, the ONNX inputs and output, headline metrics): what a server needs to load and describe the model.
/// Entries carry a fixed date, so the same model packages to the same bytes.
/// </summary>
public static class PackageStage
{
    static readonly DateTimeOffset EntryTime = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static string Run(string exportDirectory, string evaluationDirectory, string receiptPath, string zipPath)
    {
        var onnx = Require(Path.Combine(exportDirectory, ExportStage.OnnxFile), "Export");
        using var parity = JsonDocument.Parse(File.ReadAllText(Require(Path.Combine(exportDirectory, ExportStage.ParityFile), "Export")));
        using var receipt = JsonDocument.Parse(File.ReadAllText(Require(receiptPath, "Register")));
        var metricsPath = Require(Path.Combine(evaluationDirectory, "metrics.json"), "Evaluate");
        using var metrics = JsonDocument.Parse(File.ReadAllText(metricsPath));

        var manifest = JsonSerializer.Serialize(new
        {
            model = receipt.RootElement.GetProperty("model").GetString(),
            version = receipt.RootElement.GetProperty("version").GetInt32(),
            model_zip_sha256 = receipt.RootElement.GetProperty("model_sha256").GetString(),
            onnx = ExportStage.OnnxFile,
            inputs = parity.RootElement.GetProperty("inputs"),
            output = parity.RootElement.GetProperty("output").GetString(),
            onnx_parity_max_absolute_difference = parity.RootElement.GetProperty("max_absolute_difference").GetDouble(),
            metrics = HeadlineMetrics.Names.Where(n => metrics.RootElement.TryGetProperty(n, out var v) && v.ValueKind == JsonValueKind.Number)
                .ToDictionary(n => n, n => metrics.RootElement.GetProperty(n).GetDouble()),
        }, new JsonSerializerOptions { WriteIndented = true });

        var full = Path.GetFullPath(zipPath);
        AtomicFile.Write(full, stream =>
        {
            using var archive = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true);
            Add(archive, ExportStage.OnnxFile, File.ReadAllBytes(onnx));
            Add(archive, "model.json", System.Text.Encoding.UTF8.GetBytes(manifest + "\n"));
            Add(archive, "metrics.json", File.ReadAllBytes(metricsPath));
        });
        return full;
    }

    static void Add(ZipArchive archive, string name, byte[] bytes)
    {
        var entry = archive.CreateEntry(name, CompressionLevel.Optimal);
        entry.LastWriteTime = EntryTime;
        using var stream = entry.Open();
        stream.Write(bytes);
    }

    static string Require(string path, string stage) =>
        File.Exists(path) ? path : throw new FileNotFoundException($"{path} does not exist: run {stage} first.", path);
}

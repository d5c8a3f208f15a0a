using System.IO.Compression;
using MLOps.Pipelines.ML.Artifacts;

namespace MLOps.Pipelines.ML.Stages;

/// <summary>
/// Package: a zip holding the ONNX model, its evaluation metrics and <c>model.json</c> (<see cref="PackageManifest"/>: model name, registered
/// version and digest, the ONNX inputs and output, headline metrics): what a server needs to load and describe the model.
/// Entries carry a fixed date, so the same model packages to the same bytes.
/// </summary>
public static class PackageStage
{
    static readonly DateTimeOffset EntryTime = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static string Run(string exportDirectory, string evaluationDirectory, string receiptPath, string zipPath)
    {
        var onnx = Require(Path.Combine(exportDirectory, ExportStage.OnnxFile), "Export");
        var parity = ParityReport.Read(Path.Combine(exportDirectory, ParityReport.FileName));
        var receipt = RegistrationReceipt.Read(receiptPath);
        var metricsPath = Path.Combine(evaluationDirectory, MetricsReport.FileName);
        var metrics = MetricsReport.Read(metricsPath);

        var manifest = new PackageManifest(receipt.Model, receipt.Version, receipt.ModelSha256, ExportStage.OnnxFile, parity.Inputs, parity.Output,
            parity.MaxAbsoluteDifference, metrics.Headline(), parity.Classes).Serialize();

        var full = Path.GetFullPath(zipPath);
        AtomicFile.Write(full, stream =>
        {
            using var archive = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true);
            Add(archive, ExportStage.OnnxFile, File.ReadAllBytes(onnx));
            Add(archive, PackageManifest.FileName, System.Text.Encoding.UTF8.GetBytes(manifest));
            Add(archive, MetricsReport.FileName, File.ReadAllBytes(metricsPath));
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

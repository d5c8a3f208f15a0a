using System.Text.Json;
using MLOps.Pipelines.ML.Data;
using MLOps.Pipelines.ML.Export;
using MLOps.Pipelines.ML.Training;

namespace MLOps.Pipelines.ML.Stages;

public sealed record ExportStageResult(string OnnxPath, OnnxParity Parity);

/// <summary>
/// Export: the model and its featurization as <c>model.onnx</c>, then ONNX Runtime against ML.NET on (at most
/// <c>maxRows</c> of) the held-out rows; <c>parity.json</c> records the largest absolute probability difference.
/// Above the tolerance the stage throws <see cref="OnnxParityException"/> and removes the ONNX file it wrote.
/// </summary>
public static class ExportStage
{
    public const string OnnxFile = "model.onnx";
    public const string ParityFile = "parity.json";
    public const double DefaultTolerance = 1e-5;
    public const long DefaultMaxRows = 100_000;

    public static ExportStageResult Run(
        string modelPath, string preparedDirectory, string outputDirectory,
        double tolerance = DefaultTolerance, long maxRows = DefaultMaxRows)
    {
        var model = TrainedModel.Load(modelPath);
        var heldOut = PreparedFiles.EveryKth(ParquetTable.ReadDataFrame(PreparedFiles.Test(preparedDirectory)), maxRows);
        Directory.CreateDirectory(outputDirectory);
        var onnx = Path.GetFullPath(Path.Combine(outputDirectory, OnnxFile));
        OnnxExporter.Export(model, onnx);
        OnnxParity parity;
        try
        {
            parity = OnnxParityCheck.Check(onnx, model, heldOut, tolerance);
        }
        catch (OnnxParityException)
        {
            File.Delete(onnx); // a model that does not reproduce ML.NET must not be packaged by mistake
            throw;
        }

        var json = JsonSerializer.Serialize(new
        {
            rows = parity.Rows,
            max_absolute_difference = parity.MaxAbsoluteDifference,
            worst_row = parity.WorstRow,
            tolerance = parity.Tolerance,
            inputs = model.InputColumns,
            output = OnnxExporter.ProbabilityOutput,
        }, new JsonSerializerOptions { WriteIndented = true });
        File.WriteAllText(Path.Combine(outputDirectory, ParityFile), json + "\n");
        return new ExportStageResult(onnx, parity);
    }
}

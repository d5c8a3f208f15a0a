using MLOps.Pipelines.ML.Artifacts;
using MLOps.Pipelines.ML.Data;
using MLOps.Pipelines.ML.Export;
using MLOps.Pipelines.ML.Tasks;
using MLOps.Pipelines.ML.Training;

namespace MLOps.Pipelines.ML.Stages;

/// <summary>
/// Export: the model and its featurization as <c>model.onnx</c>, then ONNX Runtime against ML.NET on (at most
/// <c>maxRows</c> of) the held-out rows; <c>parity.json</c> (<see cref="ParityReport"/>) records the largest absolute probability difference.
/// Above the tolerance the stage throws <see cref="OnnxParityException"/> and removes the ONNX file it wrote.
/// </summary>
public static class ExportStage
{
    public const string OnnxFile = "model.onnx";
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

        var report = new ParityReport(parity.Rows, parity.MaxAbsoluteDifference, parity.WorstRow, parity.Tolerance,
            model.InputColumns, OnnxExporter.OutputFor(model.Task), model.Task == TaskKind.Multiclass ? model.Classes : null);
        report.Write(Path.Combine(outputDirectory, ParityReport.FileName));
        return new ExportStageResult(onnx, parity, report);
    }
}

using MLOps.Pipelines.ML.Artifacts;
using MLOps.Pipelines.ML.Catalog;
using MLOps.Pipelines.ML.Tasks;

namespace MLOps.Pipelines.ML.Export;

/// <summary>
/// Makes an exported folder servable: <c>golden.json</c> (raw records and the probabilities the ONNX model gave
/// offline) and <c>model.json</c> (name, version, pipeline, the numeric fields' reference distributions) beside <c>model.onnx</c> and <c>parity.json</c>.
/// </summary>
public static class ServingDirectory
{
    /// <summary>The version Export writes before the model has a registry version; Package writes the real one.</summary>
    public const string UnregisteredVersion = "0";

    public static void Write(string exportDirectory, PipelineDefinition definition, string ingestedParquet, string version)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var onnx = Path.Combine(exportDirectory, Stages.ExportStage.OnnxFile);
        var parity = ParityReport.Read(Path.Combine(exportDirectory, ParityReport.FileName));
        var multiclass = definition.Task.Kind == TaskKind.Multiclass;
        GoldenRecordsWriter.Write(onnx, definition.Schema, definition.Features, ingestedParquet,
            Path.Combine(exportDirectory, GoldenRecords.FileName), output: parity.Output);
        var reference = NumericReference.ReadAsync(ingestedParquet, definition.Schema).GetAwaiter().GetResult();
        new ServingManifest(definition.ModelName, version, definition.Name, definition.Schema.Name,
            ServingManifest.FeatureIdentity(definition.Features), multiclass ? parity.Classes : null, reference).Write(exportDirectory);
    }
}

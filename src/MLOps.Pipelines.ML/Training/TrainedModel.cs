using System.IO.Compression;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLOps.Pipelines.ML.Tasks;

namespace MLOps.Pipelines.ML.Training;

/// <summary>
/// A fitted featurization + trainer chain, with the feature-only input schema it serves. Scoring appends
/// <c>Score</c>, <c>Probability</c> and <c>PredictedLabel</c> to whatever columns the data has.
/// </summary>
public sealed class TrainedModel
{
    public const string ProbabilityColumn = "Probability";
    public const string ScoreColumn = "Score";
    public const string PredictedLabelColumn = "PredictedLabel";

    internal TrainedModel(MLContext context, ITransformer transformer, DataViewSchema inputSchema, TaskKind task)
    {
        Context = context;
        Transformer = transformer;
        InputSchema = inputSchema;
        Task = task;
        Classes = task == TaskKind.Multiclass ? ClassNames(transformer.GetOutputSchema(inputSchema)) : [];
    }

    /// <summary>Binary (a probability per row) or multiclass (a probability per class and row).</summary>
    public TaskKind Task { get; }

    /// <summary>The classes of a multiclass model in the order of its <c>Score</c> vector; empty for a binary model.</summary>
    public IReadOnlyList<string> Classes { get; }

    internal MLContext Context { get; }

    public ITransformer Transformer { get; }

    /// <summary>The columns the model reads: the features only (no label), so serving needs nothing else.</summary>
    public DataViewSchema InputSchema { get; }

    public IReadOnlyList<string> InputColumns => InputSchema.Select(c => c.Name).ToArray();

    /// <summary>Scores the data; throws <see cref="ModelInputException"/> naming any missing or mistyped column.</summary>
    public IDataView Score(IDataView data)
    {
        InputSchemaCheck.Require(data.Schema, InputSchema.Select(c => (c.Name, c.Type)), "score the data");
        return Transformer.Transform(data);
    }

    /// <summary>Calibrated positive-class probabilities, one per row in data order (binary models).</summary>
    public float[] PredictProbabilities(IDataView data)
    {
        if (Task != TaskKind.Binary)
            throw new InvalidOperationException("A multiclass model has no single probability per row; use PredictClassProbabilities.");
        return Scored(data, Score(data).GetColumn<float>(ProbabilityColumn)).ToArray();
    }

    /// <summary>Per row, the probability of each of <see cref="Classes"/> (multiclass models).</summary>
    public float[][] PredictClassProbabilities(IDataView data)
    {
        if (Task != TaskKind.Multiclass)
            throw new InvalidOperationException("A binary model has one probability per row; use PredictProbabilities.");
        return Scored(data, Score(data).GetColumn<VBuffer<float>>(ScoreColumn).Select(v => v.DenseValues().ToArray())).ToArray();
    }

    /// <summary>The rows as ML.NET scores them, reporting "rows scored" every 50,000 rows (Evaluate's long step).</summary>
    static IEnumerable<T> Scored<T>(IDataView data, IEnumerable<T> rows)
    {
        const int every = 50_000;
        var total = data.GetRowCount() ?? 0;
        long done = 0;
        foreach (var row in rows)
        {
            yield return row;
            if (++done % every == 0) StepProgress.Report("rows scored", done, total);
        }
        StepProgress.Report("rows scored", done, Math.Max(total, done));
    }

    static string[] ClassNames(DataViewSchema output)
    {
        var score = output[ScoreColumn];
        VBuffer<ReadOnlyMemory<char>> names = default;
        score.GetSlotNames(ref names);
        return names.DenseValues().Select(n => n.ToString()).ToArray();
    }

    /// <summary>
    /// Writes the ML.NET model.zip atomically (a failed save leaves any previous file intact) and reproducibly: the
    /// same model gives the same bytes, so a retrain that changes nothing lets its dependants stay up to date and is
    /// not registered twice.
    /// </summary>
    public void Save(string path)
    {
        using var saved = new MemoryStream();
        Context.Model.Save(Transformer, InputSchema, saved);
        saved.Position = 0;
        AtomicFile.Write(Path.GetFullPath(path), destination => WithFixedEntryTimes(saved, destination));
    }

    /// <summary>ML.NET stamps every zip entry with the time of saving; copy the entries with one fixed time instead.</summary>
    static void WithFixedEntryTimes(Stream source, Stream destination)
    {
        var fixedTime = new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);
        using var input = new ZipArchive(source, ZipArchiveMode.Read, leaveOpen: true);
        using var output = new ZipArchive(destination, ZipArchiveMode.Create, leaveOpen: true);
        foreach (var entry in input.Entries)
        {
            var copy = output.CreateEntry(entry.FullName, CompressionLevel.Optimal);
            copy.LastWriteTime = fixedTime;
            using var from = entry.Open();
            using var to = copy.Open();
            from.CopyTo(to);
        }
    }

    public static TrainedModel Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Model file '{path}' does not exist; run Train first.", path);
        }

        var context = new MLContext();
        var transformer = context.Model.Load(path, out var schema);
        // A multiclass model scores a vector, a binary one a single number.
        var task = transformer.GetOutputSchema(schema)[ScoreColumn].Type is VectorDataViewType ? TaskKind.Multiclass : TaskKind.Binary;
        return new TrainedModel(context, transformer, schema, task);
    }
}

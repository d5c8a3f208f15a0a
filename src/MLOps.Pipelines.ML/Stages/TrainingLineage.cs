namespace MLOps.Pipelines.ML.Stages;

/// <summary>
/// Which data, code and parameters made a model, as the engine's <see cref="TargetRecords"/> hold them: the raw data's and the prepared
/// data's content hashes, the training target's code hash, and the parameter values the data and training targets read.
/// </summary>
public sealed record TrainingLineage(
    IReadOnlyDictionary<string, string> DataDigests,
    string CodeFingerprint,
    IReadOnlyDictionary<string, string> Parameters)
{
    /// <summary>Lineage from the records of the ingest, prepare and train targets (the latter required), e.g. <c>Train@FlightDelays</c>.</summary>
    public static TrainingLineage FromRecords(TargetRecords records, string ingest, string prepare, string train)
    {
        ArgumentNullException.ThrowIfNull(records);
        var trainRecord = records.Find(train)
            ?? throw new InvalidOperationException($"{records.Source} has no record of '{train}': run {train} before registering its model.");

        var data = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var parameters = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var target in new[] { ingest, prepare, train })
        {
            if (records.Find(target) is not { } record) continue;
            // The raw file is what Ingest read; the prepared data is what Prepare wrote (Ingest's outputs are in between).
            foreach (var file in target == ingest ? record.Inputs : target == prepare ? record.Outputs : [])
                data[file.Path] = "xxh3:" + file.Hash;
            foreach (var (name, value) in record.Parameters) parameters[name] = value;
        }

        return new TrainingLineage(data, trainRecord.CodeHash, parameters);
    }

    /// <summary>
    /// The lineage with the hyperparameters the model was actually trained with: a build parameter left unset (the
    /// pipeline's default) is recorded in the lock without a value.
    /// </summary>
    public TrainingLineage WithTraining(Training.TrainingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var merged = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in Parameters) merged[name] = value;
        foreach (var (name, value) in options.AsParameters()) merged[name] = value;
        return this with { Parameters = merged };
    }
}

using System.Globalization;
using MLOps.Pipelines.ML.Catalog;
using MLOps.Pipelines.ML.Stages;

namespace MLOps.Pipelines.ML.Components;

/// <summary>The <c>Prepare</c> stage: features and the train/test split (and monthly batches for a time split) of each pipeline.</summary>
public interface IPrepare : IIngest
{
    [Parameter("How Prepare splits: Random (seeded) or Time (train Jan–Apr, test May–Jun; only pipelines with a timestamp, e.g. Prepare@FlightDelays)")]
    SplitKind Split => GetValue(() => Split, SplitKind.Random);

    [Parameter("Seed of the random split, of training and of permutation importance", Min = 0)]
    int Seed => GetValue(() => Seed, 42);

    [Parameter("Share of rows the random split trains on", Min = 0, Max = 1, ExclusiveMin = true, ExclusiveMax = true)]
    double TrainFraction => GetValue(() => TrainFraction, 0.8);

    Target Prepare => _ => _
        .Description("Compute the features and split into train/test (and monthly batches for a time split)")
        .ForEach(Pipelines, p => p.Name, (_, p) => _
            .DependsOn(Ingest)
            .Inputs(ArtifactsOf(p).IngestedData)
            .Outputs(ArtifactsOf(p).Prepared)
            .Executes(async cancellationToken =>
            {
                var result = await PrepareStage.RunAsync(
                    ArtifactsOf(p).IngestedData, p.Features, p.Split(Split, TrainFraction, Seed), ArtifactsOf(p).Prepared, cancellationToken);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{Split} split: {result.TrainRows:N0} train rows, {result.TestRows:N0} test rows, {result.DroppedRows:N0} dropped (no label)") +
                    (result.Batches.Count > 0 ? "; batches " + string.Join(", ", result.Batches.Keys) : ""));
            }));
}

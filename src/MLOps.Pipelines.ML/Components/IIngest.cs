using System.Globalization;
using MLOps.Pipelines.ML.Catalog;
using MLOps.Pipelines.ML.Data;
using MLOps.Pipelines.ML.Stages;

namespace MLOps.Pipelines.ML.Components;

/// <summary>The <c>Ingest</c> stage: each pipeline's raw file against its schema contract → typed Parquet, quality report, quarantine.</summary>
public interface IIngest : IHazPipelines
{
    [Parameter("Raw data file to ingest instead of the pipeline's file under data/; name one instance with it (Ingest@FlightDelays)", MustExist = true)]
    AbsolutePath? RawData => GetValue(() => RawData, null);

    [Parameter("Ingest fails when more than this share of rows breaks the schema contract", Min = 0, Max = 1)]
    double MaxRejectedFraction => GetValue(() => MaxRejectedFraction, 0.01);

    /// <summary>The file Ingest reads for a pipeline: <see cref="RawData"/> when given, else <c>data/&lt;RawFile&gt;</c>.</summary>
    AbsolutePath RawFileOf(PipelineDefinition pipeline) => RawData ?? pipeline.RawDataPath(RootDirectory);

    Target Ingest => _ => _
        .Description("Read the raw data against the schema contract: typed Parquet, quality report, quarantine")
        .ForEach(Pipelines, p => p.Name, (_, p) => _
            .Inputs(RawFileOf(p))
            .Outputs(ArtifactsOf(p).Ingested)
            .Executes(async cancellationToken =>
            {
                var result = await IngestStage.RunAsync(RawFileOf(p), p.Schema, ArtifactsOf(p).Ingested,
                    new IngestOptions { MaxRejectedFraction = MaxRejectedFraction }, cancellationToken);
                var q = result.Quality;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{q.File}: {q.RowsAccepted:N0} of {q.RowsRead:N0} rows accepted, {q.RowsRejected:N0} quarantined ({q.RejectedFraction:P3}), {q.DuplicateRows:N0} duplicates"));
            }));
}

using MLOps.Pipelines.ML.Data;

namespace DataSchemas;

/// <summary>
/// The columns of <c>data/flights-3m.parquet</c> as Ingest checks them: one definition beside the data, compiled into
/// the pipelines (FlightDelays) and the ML library's tests, which stay independent of pipelines/.
/// </summary>
internal static class FlightsSchema
{
    public const string RawFile = "flights-3m.parquet";

    public static SchemaContract Contract { get; } = new("flights", [
        // The file claims Jan–Jun 2001; its single departure at 2001-07-01 00:00 is quarantined by this bound.
        ColumnContract.Timestamp("date", new DateTime(2001, 1, 1), new DateTime(2001, 6, 30, 23, 59, 59)),
        // Minutes; from a day early to two days late (the data spans -1116..1688).
        ColumnContract.Int64("delay", -1440, 2880),
        // Miles; the data spans 21..4962.
        ColumnContract.Int64("distance", 1, 6000),
        ColumnContract.Categorical("origin", Airports.Codes),
        ColumnContract.Categorical("destination", Airports.Codes),
    ]);
}

namespace MLOps.Pipelines.ML.Catalog;

/// <summary>How Prepare splits the rows: <c>--split Random</c> (seeded) or <c>--split Time</c> (later months held out).</summary>
public enum SplitKind
{
    Random,
    Time,
}

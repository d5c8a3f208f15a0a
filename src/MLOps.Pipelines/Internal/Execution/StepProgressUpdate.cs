using System.Globalization;

namespace MLOps.Pipelines.Internal.Execution;

/// <summary>
/// One report of <see cref="StepProgress"/>: <c>trees 40/250 (16 %)</c>, <c>rows 1,200,000</c> without a total, or a
/// status in words (<see cref="IsStatus"/>: <c>fitting 250 trees</c>).
/// </summary>
internal readonly record struct StepProgressUpdate(string Unit, long Done, long Total)
{
    public static StepProgressUpdate Status(string text) => new(text, -1, 0);

    public bool IsStatus => Done < 0;

    public bool IsComplete => Total > 0 && Done >= Total;

    public override string ToString() =>
        IsStatus ? Unit
        : Total > 0 ? string.Create(CultureInfo.InvariantCulture, $"{Unit} {Done:N0}/{Total:N0} ({100.0 * Math.Min(Done, Total) / Total:0} %)")
        : string.Create(CultureInfo.InvariantCulture, $"{Unit} {Done:N0}");
}

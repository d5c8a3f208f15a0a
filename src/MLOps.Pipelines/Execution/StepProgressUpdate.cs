using System.Globalization;

namespace MLOps.Pipelines.Execution;

/// <summary>One report of <see cref="StepProgress"/>: <c>trees 40/250 (16 %)</c>, or <c>rows 1,200,000</c> without a total.</summary>
internal readonly record struct StepProgressUpdate(string Unit, long Done, long Total)
{
    public bool IsComplete => Total > 0 && Done >= Total;

    public override string ToString() => Total > 0
        ? string.Create(CultureInfo.InvariantCulture, $"{Unit} {Done:N0}/{Total:N0} ({100.0 * Math.Min(Done, Total) / Total:0} %)")
        : string.Create(CultureInfo.InvariantCulture, $"{Unit} {Done:N0}");
}

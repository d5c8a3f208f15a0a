using MLOps.Pipelines.ML.Data;

namespace MLOps.Pipelines.ML.Features;

/// <summary>
/// Each row goes to train when a hash of (seed, row index) falls below <see cref="TrainFraction"/>: the same file and
/// seed give the same split on every run and machine (no dependence on <c>System.Random</c>'s sequence).
/// </summary>
public sealed record RandomSplit(double TrainFraction = 0.8, ulong Seed = 42) : DataSplit
{
    internal bool IsTrain(long rowIndex)
    {
        var h = SplitMix64.Mix(Seed ^ SplitMix64.Mix((ulong)rowIndex + 0x9E3779B97F4A7C15UL));
        return (h >> 11) * (1.0 / (1UL << 53)) < TrainFraction;
    }
}

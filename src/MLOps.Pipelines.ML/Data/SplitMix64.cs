namespace MLOps.Pipelines.ML.Data;

/// <summary>The SplitMix64 finaliser: a fixed, well-distributed 64-bit mixing function (same result on every machine).</summary>
internal static class SplitMix64
{
    public static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}

using System.IO.Hashing;
using System.Runtime.InteropServices;

namespace MLOps.Pipelines.ML.Data;

/// <summary>
/// Counts rows equal to an earlier row, in bounded memory: each row is reduced to a 64-bit hash; hashes are sorted in
/// runs of at most <see cref="RunLength"/> and spilled to a temporary file, then the runs are merged and equal
/// neighbours counted. (A false duplicate needs a 64-bit collision: ~2e-5 expected for 30 M rows.)
/// </summary>
internal sealed class DuplicateCounter : IDisposable
{
    private readonly int runLength;
    private readonly string spillDirectory;
    private readonly List<string> runs = [];
    private ulong[] buffer = new ulong[1024];
    private int count;

    public DuplicateCounter(string spillDirectory, int runLength = RunLength)
    {
        this.spillDirectory = spillDirectory;
        this.runLength = runLength;
    }

    public const int RunLength = 1 << 22;

    public void Add(TableChunk chunk)
    {
        var hashes = new ulong[chunk.RowCount];
        var seed = 0x9E3779B97F4A7C15UL;
        foreach (var name in chunk.ColumnNames)
        {
            seed = SplitMix64.Mix(seed + 1);
            HashColumn(chunk.Values(name), hashes, seed);
        }
        foreach (var h in hashes) Push(h);
    }

    public long Count()
    {
        Array.Sort(buffer, 0, count);
        if (runs.Count == 0) return CountSorted(buffer.AsSpan(0, count));
        Spill();
        return MergeAndCount();
    }

    public void Dispose()
    {
        foreach (var run in runs) File.Delete(run);
        runs.Clear();
    }

    private void Push(ulong hash)
    {
        if (count == buffer.Length)
        {
            if (count >= runLength)
            {
                Array.Sort(buffer, 0, count);
                Spill();
            }
            else Array.Resize(ref buffer, Math.Min(buffer.Length * 2, runLength));
        }
        buffer[count++] = hash;
    }

    private void Spill()
    {
        var path = Path.Combine(spillDirectory, $"duplicates-{runs.Count}.run");
        using (var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
            stream.Write(MemoryMarshal.AsBytes(buffer.AsSpan(0, count)));
        runs.Add(path);
        count = 0;
    }

    private long MergeAndCount()
    {
        var readers = runs.Select(r => new RunReader(r)).ToList();
        try
        {
            var queue = new PriorityQueue<RunReader, ulong>();
            foreach (var r in readers)
                if (r.MoveNext()) queue.Enqueue(r, r.Current);
            long duplicates = 0;
            var hasPrevious = false;
            ulong previous = 0;
            while (queue.TryDequeue(out var r, out var value))
            {
                if (hasPrevious && value == previous) duplicates++;
                previous = value;
                hasPrevious = true;
                if (r.MoveNext()) queue.Enqueue(r, r.Current);
            }
            return duplicates;
        }
        finally
        {
            foreach (var r in readers) r.Dispose();
        }
    }

    private static long CountSorted(ReadOnlySpan<ulong> sorted)
    {
        long duplicates = 0;
        for (var i = 1; i < sorted.Length; i++)
            if (sorted[i] == sorted[i - 1]) duplicates++;
        return duplicates;
    }

    private static void HashColumn(Array values, ulong[] hashes, ulong seed)
    {
        const ulong missing = 0x5bd1e9955bd1e995UL;
        switch (values)
        {
            case string?[] a:
                for (var i = 0; i < a.Length; i++)
                    hashes[i] = SplitMix64.Mix(hashes[i] ^ seed ^ (a[i] is { } s ? XxHash3.HashToUInt64(MemoryMarshal.AsBytes(s.AsSpan())) : missing));
                break;
            case long?[] a:
                for (var i = 0; i < a.Length; i++) hashes[i] = SplitMix64.Mix(hashes[i] ^ seed ^ (a[i] is { } v ? (ulong)v : missing));
                break;
            case double?[] a:
                for (var i = 0; i < a.Length; i++) hashes[i] = SplitMix64.Mix(hashes[i] ^ seed ^ (a[i] is { } v ? (ulong)BitConverter.DoubleToInt64Bits(v) : missing));
                break;
            case float?[] a:
                for (var i = 0; i < a.Length; i++) hashes[i] = SplitMix64.Mix(hashes[i] ^ seed ^ (a[i] is { } v ? (ulong)BitConverter.SingleToInt32Bits(v) : missing));
                break;
            case bool?[] a:
                for (var i = 0; i < a.Length; i++) hashes[i] = SplitMix64.Mix(hashes[i] ^ seed ^ (a[i] is { } v ? (v ? 1UL : 2UL) : missing));
                break;
            case DateTime?[] a:
                for (var i = 0; i < a.Length; i++) hashes[i] = SplitMix64.Mix(hashes[i] ^ seed ^ (a[i] is { } v ? (ulong)v.Ticks : missing));
                break;
        }
    }

    private sealed class RunReader(string path) : IDisposable
    {
        private readonly FileStream stream = new(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        private readonly byte[] eight = new byte[8];

        public ulong Current { get; private set; }

        public bool MoveNext()
        {
            if (stream.ReadAtLeast(eight, 8, throwOnEndOfStream: false) < 8) return false;
            Current = MemoryMarshal.Read<ulong>(eight); // written in native byte order by Spill
            return true;
        }

        public void Dispose() => stream.Dispose();
    }
}

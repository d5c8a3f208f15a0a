using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace MLOps.Pipelines.Internal.Hashing;

/// <summary>
/// XXH3-128 (default secret, seed 0) of a stream longer than 240 bytes, on AVX2: the same hash as
/// <see cref="System.IO.Hashing.XxHash128"/> and <c>xxhsum -H128</c>, for the files too large to hash whole.
/// </summary>
/// <remarks>
/// Why not XxHash128.Append: its per-1 KiB-block worker runs unoptimized (tier-0) code until the JIT promotes it in
/// the background, which in a fresh build process took 0.2 s extra on the first GiB with 2 idle cores, and seconds
/// on one busy core — the cold check of a large input paid it every time. This loop is compiled optimized at once
/// (<see cref="MethodImplOptions.AggressiveOptimization"/>). Follows the algorithm of xxhash.h (XXH3_hashLong_128b):
/// stripes of 64 bytes, a scramble after every 16 stripes, the last 64 bytes of the input accumulated once more, two
/// merges of the accumulators. Verified against xxhsum at many lengths (ContentHashFileSizeTests).
/// </remarks>
internal sealed class Xxh3LongStream
{
    public const int MinimumLength = 241;
    const int StripeLength = 64;
    const int StripesPerBlock = 16; // (secret length 192 − stripe length 64) / 8
    const ulong Prime32_1 = 0x9E3779B1UL, Prime32_2 = 0x85EBCA77UL, Prime32_3 = 0xC2B2AE3DUL;
    const ulong Prime64_1 = 0x9E3779B185EBCA87UL, Prime64_2 = 0xC2B2AE3D27D4EB4FUL, Prime64_3 = 0x165667B19E3779F9UL;
    const ulong Prime64_4 = 0x85EBCA77C2B2AE63UL, Prime64_5 = 0x27D4EB2F165667C5UL;

    /// <summary>XXH3's default secret (kSecret in xxhash.h).</summary>
    static ReadOnlySpan<byte> Secret =>
    [
        0xb8, 0xfe, 0x6c, 0x39, 0x23, 0xa4, 0x4b, 0xbe, 0x7c, 0x01, 0x81, 0x2c, 0xf7, 0x21, 0xad, 0x1c,
        0xde, 0xd4, 0x6d, 0xe9, 0x83, 0x90, 0x97, 0xdb, 0x72, 0x40, 0xa4, 0xa4, 0xb7, 0xb3, 0x67, 0x1f,
        0xcb, 0x79, 0xe6, 0x4e, 0xcc, 0xc0, 0xe5, 0x78, 0x82, 0x5a, 0xd0, 0x7d, 0xcc, 0xff, 0x72, 0x21,
        0xb8, 0x08, 0x46, 0x74, 0xf7, 0x43, 0x24, 0x8e, 0xe0, 0x35, 0x90, 0xe6, 0x81, 0x3a, 0x26, 0x4c,
        0x3c, 0x28, 0x52, 0xbb, 0x91, 0xc3, 0x00, 0xcb, 0x88, 0xd0, 0x65, 0x8b, 0x1b, 0x53, 0x2e, 0xa3,
        0x71, 0x64, 0x48, 0x97, 0xa2, 0x0d, 0xf9, 0x4e, 0x38, 0x19, 0xef, 0x46, 0xa9, 0xde, 0xac, 0xd8,
        0xa8, 0xfa, 0x76, 0x3f, 0xe3, 0x9c, 0x34, 0x3f, 0xf9, 0xdc, 0xbb, 0xc7, 0xc7, 0x0b, 0x4f, 0x1d,
        0x8a, 0x51, 0xe0, 0x4b, 0xcd, 0xb4, 0x59, 0x31, 0xc8, 0x9f, 0x7e, 0xc9, 0xd9, 0x78, 0x73, 0x64,
        0xea, 0xc5, 0xac, 0x83, 0x34, 0xd3, 0xeb, 0xc3, 0xc5, 0x81, 0xa0, 0xff, 0xfa, 0x13, 0x63, 0xeb,
        0x17, 0x0d, 0xdd, 0x51, 0xb7, 0xf0, 0xda, 0x49, 0xd3, 0x16, 0x55, 0x26, 0x29, 0xd4, 0x68, 0x9e,
        0x2b, 0x16, 0xbe, 0x58, 0x7d, 0x47, 0xa1, 0xfc, 0x8f, 0xf8, 0xb8, 0xd1, 0x7a, 0xd0, 0x31, 0xce,
        0x45, 0xcb, 0x3a, 0x8f, 0x95, 0x16, 0x04, 0x28, 0xaf, 0xd7, 0xfb, 0xca, 0xbb, 0x4b, 0x40, 0x7e,
    ];

    Vector256<ulong> _acc0 = Vector256.Create(Prime32_3, Prime64_1, Prime64_2, Prime64_3);
    Vector256<ulong> _acc1 = Vector256.Create(Prime64_4, Prime32_2, Prime64_5, Prime32_1);
    readonly byte[] _pending = new byte[StripeLength]; // input not yet accumulated: 1..64 bytes once anything came
    readonly byte[] _lastStripe = new byte[StripeLength]; // the last 64 bytes accumulated
    int _pendingLength;
    long _stripes;
    long _length;

    /// <summary>True where this implementation runs (x86-64 with AVX2); elsewhere use XxHash128.</summary>
    public static bool IsSupported => Avx2.IsSupported;

    /// <summary>Bytes appended so far.</summary>
    public long Length => _length;

    public void Append(ReadOnlySpan<byte> data)
    {
        _length += data.Length;
        // A stripe is accumulated only once a byte follows it: the input's last 1..64 bytes wait for the digest.
        if (_pendingLength > 0)
        {
            var take = Math.Min(StripeLength - _pendingLength, data.Length);
            data[..take].CopyTo(_pending.AsSpan(_pendingLength));
            _pendingLength += take;
            data = data[take..];
            if (data.IsEmpty)
                return;
            Accumulate(_pending);
            _pending.CopyTo(_lastStripe, 0);
            _pendingLength = 0;
        }
        var stripes = (data.Length - 1) / StripeLength;
        if (stripes > 0)
        {
            Accumulate(data[..(stripes * StripeLength)]);
            data.Slice((stripes - 1) * StripeLength, StripeLength).CopyTo(_lastStripe);
        }
        var rest = data[(stripes * StripeLength)..];
        rest.CopyTo(_pending);
        _pendingLength = rest.Length;
    }

    /// <summary>The hash in the canonical (big-endian) byte order xxhsum prints; the input must be longer than 240 bytes.</summary>
    public byte[] GetHash()
    {
        if (_length < MinimumLength)
            throw new InvalidOperationException($"{nameof(Xxh3LongStream)} hashes inputs of at least {MinimumLength} bytes; this one has {_length}.");
        // The last 64 bytes of the input: the tail of the accumulated stripes, then the pending bytes.
        Span<byte> last = stackalloc byte[StripeLength];
        _lastStripe.AsSpan(_pendingLength).CopyTo(last);
        _pending.AsSpan(0, _pendingLength).CopyTo(last[(StripeLength - _pendingLength)..]);
        var (acc0, acc1) = (_acc0, _acc1);
        Round(ref acc0, ref acc1, ref MemoryMarshal.GetReference(last), Secret.Length - StripeLength - 7);

        Span<ulong> acc = stackalloc ulong[8];
        acc0.CopyTo(acc);
        acc1.CopyTo(acc[4..]);
        var low = MergeAccumulators(acc, 11, (ulong)_length * Prime64_1);
        var high = MergeAccumulators(acc, Secret.Length - StripeLength - 11, ~((ulong)_length * Prime64_2));
        var hash = new byte[16];
        BinaryPrimitives.WriteUInt64BigEndian(hash, high);
        BinaryPrimitives.WriteUInt64BigEndian(hash.AsSpan(8), low);
        return hash;
    }

    /// <summary>Accumulates whole stripes (the length is a multiple of 64), scrambling after every 16th.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    void Accumulate(ReadOnlySpan<byte> stripes)
    {
        var (acc0, acc1) = (_acc0, _acc1);
        ref var data = ref MemoryMarshal.GetReference(stripes);
        var count = stripes.Length / StripeLength;
        var stripe = _stripes;
        for (var i = 0; i < count; i++, stripe++)
        {
            var inBlock = (int)(stripe % StripesPerBlock);
            Round(ref acc0, ref acc1, ref Unsafe.Add(ref data, i * StripeLength), inBlock * 8);
            if (inBlock == StripesPerBlock - 1)
                Scramble(ref acc0, ref acc1);
        }
        (_acc0, _acc1, _stripes) = (acc0, acc1, stripe);
    }

    /// <summary>One stripe: per 64-bit lane i, acc[i ^ 1] += input[i]; acc[i] += lo32(k) * hi32(k) with k = input[i] ^ secret[i].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void Round(ref Vector256<ulong> acc0, ref Vector256<ulong> acc1, ref byte input, int secretOffset)
    {
        ref var secret = ref MemoryMarshal.GetReference(Secret);
        acc0 = Lane(acc0, Vector256.LoadUnsafe(ref input).AsUInt64(), Vector256.LoadUnsafe(ref Unsafe.Add(ref secret, secretOffset)).AsUInt64());
        acc1 = Lane(acc1, Vector256.LoadUnsafe(ref Unsafe.Add(ref input, 32)).AsUInt64(), Vector256.LoadUnsafe(ref Unsafe.Add(ref secret, secretOffset + 32)).AsUInt64());
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector256<ulong> Lane(Vector256<ulong> acc, Vector256<ulong> input, Vector256<ulong> secret)
    {
        var key = input ^ secret;
        var product = Avx2.Multiply(key.AsUInt32(), Avx2.ShiftRightLogical(key, 32).AsUInt32());
        var swapped = Avx2.Shuffle(input.AsUInt32(), 0b01_00_11_10).AsUInt64(); // lanes 0↔1, 2↔3
        return acc + swapped + product;
    }

    /// <summary>After each block: acc = (acc ^ (acc >> 47) ^ secret[last stripe]) * PRIME32_1, per lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void Scramble(ref Vector256<ulong> acc0, ref Vector256<ulong> acc1)
    {
        ref var secret = ref Unsafe.Add(ref MemoryMarshal.GetReference(Secret), Secret.Length - StripeLength);
        acc0 = ScrambleLane(acc0, Vector256.LoadUnsafe(ref secret).AsUInt64());
        acc1 = ScrambleLane(acc1, Vector256.LoadUnsafe(ref Unsafe.Add(ref secret, 32)).AsUInt64());
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector256<ulong> ScrambleLane(Vector256<ulong> acc, Vector256<ulong> secret)
    {
        var mixed = acc ^ Avx2.ShiftRightLogical(acc, 47) ^ secret;
        var prime = Vector256.Create((uint)Prime32_1);
        // A 64×32-bit multiply from two 32×32→64 ones: lo32·p + (hi32·p << 32).
        var low = Avx2.Multiply(mixed.AsUInt32(), prime);
        var high = Avx2.Multiply(Avx2.ShiftRightLogical(mixed, 32).AsUInt32(), prime);
        return low + Avx2.ShiftLeftLogical(high, 32);
    }

    static ulong MergeAccumulators(ReadOnlySpan<ulong> acc, int secretOffset, ulong start)
    {
        var secret = Secret[secretOffset..];
        var result = start;
        for (var i = 0; i < 4; i++)
        {
            var high = Math.BigMul(acc[2 * i] ^ BinaryPrimitives.ReadUInt64LittleEndian(secret[(16 * i)..]),
                acc[(2 * i) + 1] ^ BinaryPrimitives.ReadUInt64LittleEndian(secret[((16 * i) + 8)..]), out var low);
            result += low ^ high;
        }
        result ^= result >> 37;
        result *= 0x165667919E3779F9UL;
        return result ^ (result >> 32);
    }
}

using System.Buffers;
using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text;

namespace MLOps.Pipelines.Internal.Fingerprints;

/// <summary>
/// The byte stream the code fingerprint hashes: tagged, length-prefixed, little-endian, so two different
/// sequences of items can never serialize to the same bytes.
/// </summary>
internal sealed class CanonicalWriter
{
    private readonly ArrayBufferWriter<byte> buffer = new(4096);

    public void Reset() => buffer.ResetWrittenCount();

    public void Tag(char tag) => Int16((short)tag);

    public void Int16(short value)
    {
        BinaryPrimitives.WriteInt16LittleEndian(buffer.GetSpan(2), value);
        buffer.Advance(2);
    }

    public void Int32(int value)
    {
        BinaryPrimitives.WriteInt32LittleEndian(buffer.GetSpan(4), value);
        buffer.Advance(4);
    }

    public void Bytes(ReadOnlySpan<byte> bytes)
    {
        Int32(bytes.Length);
        buffer.Write(bytes);
    }

    public void Text(string text)
    {
        var length = Encoding.UTF8.GetByteCount(text);
        Int32(length);
        Encoding.UTF8.GetBytes(text, buffer.GetSpan(length));
        buffer.Advance(length);
    }

    /// <summary>XXH3-128 of what was written: change detection, not a published digest, and ~25x cheaper
    /// than a SHA-256 one-shot call here, which dominated the warm walk.</summary>
    public byte[] Hash128() => XxHash128.Hash(buffer.WrittenSpan);
}

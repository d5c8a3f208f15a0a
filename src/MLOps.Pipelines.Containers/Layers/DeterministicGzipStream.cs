using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;

namespace MLOps.Pipelines.Containers.Layers;

/// <summary>
/// A write-only gzip stream whose header carries no file name, no time and the "unknown" OS byte, so the same input
/// gives the same bytes on any machine (GZipStream writes the platform's OS code). The body is raw deflate; the
/// trailer is CRC-32 and the length modulo 2^32, as RFC 1952 says.
/// </summary>
public sealed class DeterministicGzipStream : Stream
{
    static readonly byte[] Header = [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff];

    readonly Stream _output;
    readonly DeflateStream _deflate;
    readonly Crc32 _crc = new();
    long _length;
    bool _closed;

    public DeterministicGzipStream(Stream output)
    {
        _output = output;
        _output.Write(Header);
        _deflate = new DeflateStream(output, CompressionLevel.Optimal, leaveOpen: true);
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        _crc.Append(buffer);
        _length += buffer.Length;
        _deflate.Write(buffer);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_closed)
        {
            _closed = true;
            _deflate.Dispose();
            Span<byte> trailer = stackalloc byte[8];
            BinaryPrimitives.WriteUInt32LittleEndian(trailer, _crc.GetCurrentHashAsUInt32());
            BinaryPrimitives.WriteUInt32LittleEndian(trailer[4..], (uint)_length);
            _output.Write(trailer);
            _output.Flush();
        }
        base.Dispose(disposing);
    }

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}

using System.Text.Unicode;

namespace MLOps.Pipelines.ML.Data;

/// <summary>The file formats Ingest reads.</summary>
public enum TabularFormat
{
    Parquet,
    Csv,
}

/// <summary>Tells Parquet from CSV by magic bytes (PAR1 at both ends) and CSV from garbage by its first bytes being UTF-8 text.</summary>
internal static class TabularFormatDetector
{
    private const int SniffBytes = 1 << 16;

    public static TabularFormat Detect(string path)
    {
        var info = new FileInfo(path);
        if (!info.Exists) throw new FileNotFoundException($"{path}: the raw data file does not exist", path);
        if (info.Length == 0)
            throw new DataContractException(path, null, null, ContractRule.EmptyFile, "the file is empty (0 bytes); expected a Parquet or CSV file with a header and data rows");

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        var head = new byte[(int)Math.Min(SniffBytes, info.Length)];
        stream.ReadExactly(head);
        if (info.Length >= 12 && head.AsSpan(0, 4).SequenceEqual("PAR1"u8))
        {
            Span<byte> tail = stackalloc byte[4];
            stream.Seek(-4, SeekOrigin.End);
            stream.ReadExactly(tail);
            if (tail.SequenceEqual("PAR1"u8)) return TabularFormat.Parquet;
            throw new DataContractException(path, null, null, ContractRule.Format, "starts like Parquet (PAR1) but has no PAR1 footer: the file is truncated or corrupt; copy it again");
        }
        if (path.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase))
            throw new DataContractException(path, null, null, ContractRule.Format, "named .parquet but has no PAR1 magic bytes: not a Parquet file");
        if (head.AsSpan().Contains((byte)0) || !IsUtf8(head, complete: info.Length <= SniffBytes))
            throw new DataContractException(path, null, null, ContractRule.Format,
                "neither Parquet (no PAR1 magic bytes) nor CSV (its first bytes are not UTF-8 text): point the stage at a Parquet or CSV file");
        return TabularFormat.Csv;
    }

    private static bool IsUtf8(byte[] head, bool complete)
    {
        if (Utf8.IsValid(head)) return true;
        if (complete) return false;
        // The sniffed block may end inside a multi-byte character.
        for (var cut = 1; cut <= 3; cut++)
            if (Utf8.IsValid(head.AsSpan(0, head.Length - cut))) return true;
        return false;
    }
}

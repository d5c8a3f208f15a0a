using System.Globalization;

namespace MLOps.Pipelines.Internal.Audit;

/// <summary>
/// The last record's seq and hash, kept beside the log (<c>audit.head</c>) so that records cut off the end — which no
/// later record's <c>prev</c> would betray — are detected. It may lag one record behind (a build killed between the
/// append and the head update), never run ahead.
/// </summary>
internal sealed record AuditHead(long Seq, string Hash)
{
    public string Render() => $"{Seq.ToString(CultureInfo.InvariantCulture)} {Hash}\n";

    public static AuditHead? Parse(string? text)
    {
        var parts = text?.Trim().Split(' ');
        return parts is [var seq, var hash] && long.TryParse(seq, NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            ? new AuditHead(n, hash)
            : null;
    }
}

using System.Text;

namespace MLOps.Pipelines.Internal.Execution;

/// <summary>
/// Console output of targets running in parallel, each line prefixed with the target that wrote it, so interleaved
/// CI logs stay readable. The current target flows with the async context. With <paramref name="capture"/>
/// (<c>--verbosity minimal</c> or <c>quiet</c>) what a target writes is held back and shown only if it fails.
/// </summary>
internal sealed class TargetOutputWriter(TextWriter inner, bool prefix, LiveProgress? progress, bool capture = false) : TextWriter
{
    static readonly AsyncLocal<string?> s_currentTarget = new();
    readonly Lock _gate = new();
    readonly StringBuilder _pending = new();
    readonly Dictionary<string, StringBuilder> _captured = new(StringComparer.Ordinal);
    bool _atLineStart = true;

    public static string? CurrentTarget
    {
        get => s_currentTarget.Value;
        set => s_currentTarget.Value = value;
    }

    public override Encoding Encoding => inner.Encoding;

    public override void Write(char value) => Write(value.ToString());

    public override void Write(string? value)
    {
        if (value is null) return;
        lock (_gate)
        {
            if (capture && CurrentTarget is { } capturing)
            {
                (_captured.TryGetValue(capturing, out var held) ? held : _captured[capturing] = new StringBuilder()).Append(value);
                return;
            }
            _pending.Clear();
            foreach (var c in value)
            {
                if (_atLineStart && prefix && CurrentTarget is { } target) _pending.Append('[').Append(target).Append("] ");
                _pending.Append(c);
                _atLineStart = c == '\n';
            }
            progress?.Erase(inner);
            inner.Write(_pending.ToString());
            if (_atLineStart) progress?.Draw(inner);
        }
    }

    public override void WriteLine(string? value) => Write((value ?? "") + "\n");

    /// <summary>A whole line the engine writes about a target (it names the target itself): never prefixed or held back.</summary>
    public void WriteEngineLine(string line)
    {
        lock (_gate)
        {
            progress?.Erase(inner);
            if (!_atLineStart) inner.Write('\n');
            inner.Write(line + "\n");
            _atLineStart = true;
            progress?.Draw(inner);
        }
    }
    public override void Flush() => inner.Flush();

    /// <summary>What the target wrote while its output was held back (and forgets it); null when nothing was.</summary>
    public string? TakeCaptured(string target)
    {
        lock (_gate)
        {
            if (!_captured.Remove(target, out var held) || held.Length == 0) return null;
            return held.ToString();
        }
    }

    /// <summary>Redraws the live status line (on a timer), unless a target is in the middle of a line.</summary>
    public void Tick()
    {
        lock (_gate)
            if (_atLineStart) progress?.Draw(inner);
    }

    /// <summary>Removes the status line before the summary is printed.</summary>
    public void EndProgress()
    {
        lock (_gate) progress?.Erase(inner);
    }
}

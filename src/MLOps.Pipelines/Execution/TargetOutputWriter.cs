using System.Text;

namespace MLOps.Pipelines.Execution;

/// <summary>
/// Console output of targets running in parallel, each line prefixed with the target that wrote it, so interleaved
/// CI logs stay readable. The current target flows with the async context.
/// </summary>
internal sealed class TargetOutputWriter(TextWriter inner) : TextWriter
{
    static readonly AsyncLocal<string?> s_currentTarget = new();
    readonly Lock _gate = new();
    readonly StringBuilder _pending = new();
    bool _atLineStart = true;

    public static string? CurrentTarget
    {
        get => s_currentTarget.Value;
        set => s_currentTarget.Value = value;
    }

    public override Encoding Encoding => inner.Encoding;

    public override void Write(char value)
    {
        lock (_gate)
        {
            if (_atLineStart && CurrentTarget is { } target) inner.Write($"[{target}] ");
            inner.Write(value);
            _atLineStart = value == '\n';
        }
    }

    public override void Write(string? value)
    {
        if (value is null) return;
        lock (_gate)
        {
            _pending.Clear();
            foreach (var c in value)
            {
                if (_atLineStart && CurrentTarget is { } target) _pending.Append('[').Append(target).Append("] ");
                _pending.Append(c);
                _atLineStart = c == '\n';
            }
            inner.Write(_pending.ToString());
        }
    }

    public override void WriteLine(string? value) => Write((value ?? "") + "\n");
    public override void Flush() => inner.Flush();
}

using System.Diagnostics;
using MLOps.Pipelines.Internal.Graph;

namespace MLOps.Pipelines.Internal.Execution;

/// <summary>
/// A status line kept at the bottom of a terminal (never in redirected output): which targets run, for how long,
/// and how many are done. Lines written through <see cref="TargetOutputWriter"/> scroll above it.
/// </summary>
internal sealed class LiveProgress(int total) : IBuildReporter
{
    const string EraseLine = "\r\u001b[2K";
    static readonly string[] s_spinner = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];
    readonly Dictionary<string, Stopwatch> _running = [];
    int _done;
    int _frame;
    bool _drawn;

    public void TargetStarted(TargetNode node)
    {
        lock (_running) _running[node.Name] = Stopwatch.StartNew();
    }

    public void TargetFinished(TargetResult result)
    {
        lock (_running)
        {
            _running.Remove(result.Target);
            _done++;
        }
    }

    /// <summary>The status text, e.g. <c>⠋ 3/8 done · running Train 12.3 s, Evaluate 1.0 s</c>.</summary>
    public string Render()
    {
        lock (_running)
        {
            var running = string.Join(", ", _running.Select(r => $"{r.Key} {r.Value.Elapsed.TotalSeconds:0.0} s"));
            return $"{s_spinner[_frame++ % s_spinner.Length]} {_done}/{total} done" + (running.Length > 0 ? $" · running {running}" : "");
        }
    }

    static int TerminalWidth()
    {
        try { return Console.WindowWidth; }
        catch (IOException) { return 0; }
    }

    /// <summary>Called by the writer, under its lock, before it writes a line.</summary>
    public void Erase(TextWriter terminal)
    {
        if (!_drawn) return;
        terminal.Write(EraseLine);
        _drawn = false;
    }

    /// <summary>Called by the writer, under its lock, after a complete line and on every tick.</summary>
    public void Draw(TextWriter terminal)
    {
        var text = Render();
        var width = TerminalWidth() - 1;
        terminal.Write(EraseLine + (width > 10 && text.Length > width ? text[..width] : text));
        terminal.Flush();
        _drawn = true;
    }
}

using System.Diagnostics;
using MLOps.Pipelines.Internal.Graph;

namespace MLOps.Pipelines.Internal.Execution;

/// <summary>
/// A status line kept at the bottom of a terminal (never in redirected output): which targets run, for how long,
/// how far their steps are (<see cref="StepProgress"/>), and how many are done. Lines written through
/// <see cref="TargetOutputWriter"/> scroll above it.
/// </summary>
internal sealed class LiveProgress(int total) : IBuildReporter, IStepProgressSink
{
    const string EraseLine = "\r\u001b[2K";
    static readonly string[] s_spinner = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];
    readonly Dictionary<string, Stopwatch> _running = [];
    readonly Dictionary<string, Dictionary<string, StepProgressUpdate>> _steps = [];
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
            _steps.Remove(result.Target);
            _done++;
        }
    }

    public void Report(string target, StepProgressUpdate update)
    {
        lock (_running)
        {
            if (!_running.ContainsKey(target)) return;
            if (!_steps.TryGetValue(target, out var steps)) _steps[target] = steps = new(StringComparer.Ordinal);
            // The latest report per counted unit (features permuted, and the rows scored for each), one status in words.
            var key = update.IsStatus ? "" : update.Unit;
            if (update.IsComplete) steps.Remove(key);
            else steps[key] = update;
        }
    }

    /// <summary>The status text, e.g. <c>⠋ 3/8 done · running Train 12.3 s (trees 40/250 (16 %)), Evaluate 1.0 s</c>.</summary>
    public string Render()
    {
        lock (_running)
        {
            var running = string.Join(", ", _running.Select(r =>
                $"{r.Key} {r.Value.Elapsed.TotalSeconds:0.0} s" + (_steps.TryGetValue(r.Key, out var steps) && steps.Count > 0 ? $" ({string.Join(", ", steps.Values)})" : "")));
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

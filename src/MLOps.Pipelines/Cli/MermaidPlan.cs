using System.Net;
using System.Text;
using MLOps.Pipelines.Graph;

namespace MLOps.Pipelines.Cli;

/// <summary><c>--plan</c>: the target graph as Mermaid text, and an HTML page that draws it.</summary>
internal static class MermaidPlan
{
    public static string Render(TargetGraph graph, IReadOnlySet<TargetNode> planned)
    {
        var text = new StringBuilder();
        text.AppendLine("graph LR");
        var listed = graph.Targets.Where(t => !t.Definition.IsUnlisted || planned.Contains(t)).ToList();
        foreach (var target in listed)
            text.AppendLine($"  {Id(target)}[\"{target.Name}\"]");
        foreach (var target in listed)
        {
            foreach (var dependency in target.Dependencies) text.AppendLine($"  {Id(dependency)} --> {Id(target)}");
            foreach (var triggered in target.Triggered) text.AppendLine($"  {Id(target)} -. triggers .-> {Id(triggered)}");
            foreach (var before in target.OrderedAfter) text.AppendLine($"  {Id(before)} -. after .-> {Id(target)}");
        }
        if (planned.Count > 0)
        {
            text.AppendLine("  classDef planned fill:#d4f7d4,stroke:#2b8a3e,stroke-width:2px");
            text.AppendLine($"  class {string.Join(",", listed.Where(planned.Contains).Select(Id))} planned");
        }
        return text.ToString();
    }

    /// <summary>A Mermaid node id: the name, with a family instance's '@' spelled out (Mermaid ids take no '@').</summary>
    static string Id(TargetNode target) => target.Name.Replace("@", "_at_", StringComparison.Ordinal);

    public static string Html(string mermaid) => $$"""
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <title>Build plan</title>
        <style>body { font-family: sans-serif; margin: 2rem; } pre.source { color: #555; }</style>
        </head>
        <body>
        <h1>Build plan</h1>
        <p>Solid arrows: DependsOn. Dotted: Triggers and After. Green: planned for this invocation.</p>
        <pre class="mermaid">
        {{WebUtility.HtmlEncode(mermaid)}}
        </pre>
        <details><summary>Mermaid source</summary><pre class="source">{{WebUtility.HtmlEncode(mermaid)}}</pre></details>
        <script type="module">
        import mermaid from 'https://cdn.jsdelivr.net/npm/mermaid@11/dist/mermaid.esm.min.mjs';
        mermaid.initialize({ startOnLoad: true });
        </script>
        </body>
        </html>
        """;
}

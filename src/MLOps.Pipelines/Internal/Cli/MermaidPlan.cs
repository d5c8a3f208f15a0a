using System.Net;
using System.Text;
using MLOps.Pipelines.Internal.Graph;

namespace MLOps.Pipelines.Internal.Cli;

/// <summary><c>--plan</c>: the target graph as Mermaid text, and an HTML page that draws it without any script.</summary>
internal static class MermaidPlan
{
    public static string Render(TargetGraph graph, IReadOnlySet<TargetNode> planned)
    {
        var text = new StringBuilder();
        text.AppendLine("graph LR");
        var listed = Listed(graph, planned);
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

    /// <summary>
    /// A self-contained page: the graph as inline SVG (no script, no CDN, so it opens offline and under a strict
    /// content security policy) and the Mermaid source to paste into any Mermaid renderer.
    /// </summary>
    public static string Html(TargetGraph graph, IReadOnlySet<TargetNode> planned, string mermaid) => $$"""
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
        <title>Build plan</title>
        <style>body { font-family: sans-serif; margin: 2rem; } pre.source { color: #555; }</style>
        </head>
        <body>
        <h1>Build plan</h1>
        <p>Solid arrows: DependsOn. Dashed: Triggers and After. Green: planned for this invocation.</p>
        {{PlanSvg.Render(Listed(graph, planned), planned)}}
        <details><summary>Mermaid source</summary><pre class="source">{{WebUtility.HtmlEncode(mermaid)}}</pre></details>
        </body>
        </html>
        """;

    static List<TargetNode> Listed(TargetGraph graph, IReadOnlySet<TargetNode> planned) =>
        graph.Targets.Where(t => !t.Definition.IsUnlisted || planned.Contains(t)).ToList();
}

using System.Globalization;
using System.Net;
using System.Text;
using MLOps.Pipelines.Internal.Graph;

namespace MLOps.Pipelines.Internal.Cli;

/// <summary>
/// The target graph drawn as inline SVG, left to right in layers (a target's column is the length of its longest
/// DependsOn/Triggers chain), so <c>.nuke/temp/plan.html</c> needs no script and no network to show it.
/// </summary>
internal static class PlanSvg
{
    const int NodeWidth = 150, NodeHeight = 34, ColumnGap = 70, RowGap = 22, Margin = 20;

    public static string Render(IReadOnlyList<TargetNode> listed, IReadOnlySet<TargetNode> planned)
    {
        var shown = listed.ToHashSet();
        var layer = new Dictionary<TargetNode, int>();
        int Layer(TargetNode node, HashSet<TargetNode> visiting)
        {
            if (layer.TryGetValue(node, out var known)) return known;
            if (!visiting.Add(node)) return 0; // the graph was checked for cycles; this only guards the walk
            var before = Incoming(node, shown).Select(e => e.From).ToList();
            var value = before.Count == 0 ? 0 : before.Max(b => Layer(b, visiting)) + 1;
            visiting.Remove(node);
            return layer[node] = value;
        }
        foreach (var node in listed) Layer(node, []);

        var position = new Dictionary<TargetNode, (int X, int Y)>();
        foreach (var column in listed.GroupBy(n => layer[n]).OrderBy(g => g.Key))
        {
            var row = 0;
            foreach (var node in column.OrderBy(n => n.Index))
                position[node] = (Margin + column.Key * (NodeWidth + ColumnGap), Margin + row++ * (NodeHeight + RowGap));
        }
        var width = position.Values.Select(p => p.X + NodeWidth + Margin).DefaultIfEmpty(2 * Margin).Max();
        var height = position.Values.Select(p => p.Y + NodeHeight + Margin).DefaultIfEmpty(2 * Margin).Max();

        var svg = new StringBuilder();
        svg.Append(Invariant($"<svg width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" role=\"img\" aria-label=\"Build plan\">\n"));
        svg.Append("<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M 0 0 L 10 5 L 0 10 z\" fill=\"#555\"/></marker></defs>\n");
        foreach (var node in listed)
        {
            foreach (var (from, kind) in Incoming(node, shown))
            {
                var (x1, y1) = position[from];
                var (x2, y2) = position[node];
                var (sx, sy, ex, ey) = (x1 + NodeWidth, y1 + NodeHeight / 2, x2, y2 + NodeHeight / 2);
                if (x2 <= x1) (sx, ex) = (x1 + NodeWidth / 2, x2 + NodeWidth / 2); // same column (After): a bend
                var mid = (sx + ex) / 2;
                var dash = kind == "DependsOn" ? "" : " stroke-dasharray=\"5 4\"";
                svg.Append(Invariant($"<path class=\"edge\" data-from=\"{Encode(from.Name)}\" data-to=\"{Encode(node.Name)}\" data-kind=\"{kind}\" d=\"M {sx} {sy} C {mid} {sy}, {mid} {ey}, {ex} {ey}\" fill=\"none\" stroke=\"#555\" stroke-width=\"1.5\"{dash} marker-end=\"url(#arrow)\"><title>{Encode(from.Name)} → {Encode(node.Name)} ({kind})</title></path>\n"));
            }
        }
        foreach (var node in listed)
        {
            var (x, y) = position[node];
            var isPlanned = planned.Contains(node);
            var fill = isPlanned ? "#d4f7d4" : "#f4f4f4";
            var stroke = isPlanned ? "#2b8a3e" : "#999";
            var description = node.Definition.DescriptionText is { } d ? $"<title>{Encode(d)}</title>" : "";
            svg.Append(Invariant($"<g class=\"target{(isPlanned ? " planned" : "")}\" data-target=\"{Encode(node.Name)}\">{description}<rect x=\"{x}\" y=\"{y}\" width=\"{NodeWidth}\" height=\"{NodeHeight}\" rx=\"6\" fill=\"{fill}\" stroke=\"{stroke}\" stroke-width=\"{(isPlanned ? 2 : 1)}\"/>"));
            svg.Append(Invariant($"<text x=\"{x + NodeWidth / 2}\" y=\"{y + NodeHeight / 2 + 5}\" text-anchor=\"middle\" font-family=\"sans-serif\" font-size=\"14\">{Encode(node.Name)}</text></g>\n"));
        }
        svg.Append("</svg>\n");
        return svg.ToString();
    }

    /// <summary>The edges drawn into a node: DependsOn (solid), Triggers and After (dashed).</summary>
    static IEnumerable<(TargetNode From, string Kind)> Incoming(TargetNode node, IReadOnlySet<TargetNode> shown) =>
        node.Dependencies.Where(shown.Contains).Select(d => (d, "DependsOn"))
            .Concat(node.TriggeredFrom.Where(shown.Contains).Select(t => (t, "Triggers")))
            .Concat(node.OrderedAfter.Where(shown.Contains).Select(a => (a, "After")));

    static string Encode(string text) => WebUtility.HtmlEncode(text);

    static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

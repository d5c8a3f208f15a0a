using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace MLOps.Pipelines.Internal.CI.Yaml;

/// <summary>
/// Writes the YAML model through YamlDotNet's emitter: block style, two-space indents, LF line ends, no folding,
/// and explicit quoting of strings that a YAML 1.1 or 1.2 reader would turn into something else
/// (<c>on</c>, <c>no</c>, <c>1.10</c>, <c>*/5 * * * *</c>, <c>${{ … }}</c>).
/// </summary>
internal static partial class YamlText
{
    public static string Write(YamlMap root, IEnumerable<string> headerComments)
    {
        var writer = new StringWriter { NewLine = "\n" };
        foreach (var line in headerComments)
            writer.Write(line.Length == 0 ? "#\n" : $"# {line}\n");
        var settings = new EmitterSettings(bestIndent: 2, bestWidth: int.MaxValue, isCanonical: false,
            maxSimpleKeyLength: 1024, indentSequences: true, newLine: "\n");
        var emitter = new Emitter(writer, settings);
        emitter.Emit(new StreamStart());
        emitter.Emit(new DocumentStart());
        WriteNode(emitter, root, isKey: false);
        emitter.Emit(new DocumentEnd(isImplicit: true));
        emitter.Emit(new StreamEnd());
        return writer.ToString().Replace("\r\n", "\n", StringComparison.Ordinal);
    }

    static void WriteNode(IEmitter emitter, YamlNode node, bool isKey)
    {
        switch (node)
        {
            case YamlScalar scalar:
                emitter.Emit(new Scalar(AnchorName.Empty, TagName.Empty, scalar.Value, StyleOf(scalar, isKey),
                    isPlainImplicit: true, isQuotedImplicit: true));
                break;
            case YamlMap map:
                emitter.Emit(new MappingStart(AnchorName.Empty, TagName.Empty, isImplicit: true, MappingStyle.Block));
                foreach (var (key, value) in map.Entries)
                {
                    WriteNode(emitter, key, isKey: true);
                    WriteNode(emitter, value, isKey: false);
                }
                emitter.Emit(new MappingEnd());
                break;
            case YamlSequence seq:
                emitter.Emit(new SequenceStart(AnchorName.Empty, TagName.Empty, isImplicit: true, SequenceStyle.Block));
                foreach (var item in seq.Items)
                    WriteNode(emitter, item, isKey: false);
                emitter.Emit(new SequenceEnd());
                break;
            default:
                throw new InvalidOperationException($"Unknown YAML node {node.GetType().Name}.");
        }
    }

    static ScalarStyle StyleOf(YamlScalar scalar, bool isKey) => scalar.Kind switch
    {
        YamlScalarKind.Verbatim => ScalarStyle.Plain,
        YamlScalarKind.Block when !isKey => ScalarStyle.Literal,
        _ => NeedsQuotes(scalar.Value) ? ScalarStyle.DoubleQuoted : ScalarStyle.Plain,
    };

    /// <summary>True when a plain scalar would not read back as this same string (or would be hard to read).</summary>
    internal static bool NeedsQuotes(string value) =>
        value.Length == 0
        || char.IsWhiteSpace(value[0]) || char.IsWhiteSpace(value[^1])
        || "-?:,[]{}#&*!|>'\"%@`".Contains(value[0], StringComparison.Ordinal)
        || value.Contains(": ", StringComparison.Ordinal) || value.Contains(" #", StringComparison.Ordinal)
        || value.EndsWith(':') || value.Contains('*') || value.Contains("${{", StringComparison.Ordinal)
        || value.Any(char.IsControl)
        || NonStringPlainScalar().IsMatch(value);

    // YAML 1.1 booleans and nulls, integers, floats (1.10 → 1.1), octal/hex, sexagesimal (1:20), .inf/.nan, dates.
    [GeneratedRegex(@"^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|null|Null|NULL|~"
        + @"|[-+]?(?:[0-9][0-9_]*)?\.?[0-9_]*(?:[eE][-+]?[0-9]+)?|0[xX][0-9a-fA-F_]+|0o?[0-7_]+|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?"
        + @"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}.*)$")]
    private static partial Regex NonStringPlainScalar();
}

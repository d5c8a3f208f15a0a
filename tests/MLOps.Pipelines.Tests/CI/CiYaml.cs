using YamlDotNet.RepresentationModel;

namespace MLOps.Pipelines.Tests.CI;

/// <summary>Reads generated YAML back with YamlDotNet's representation model, to assert on structure rather than text.</summary>
internal static class CiYaml
{
    public static YamlMappingNode Parse(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    public static YamlNode At(this YamlNode node, params string[] path)
    {
        foreach (var key in path)
        {
            // "0", "1", … index a sequence (a job's list of caches).
            if (node is YamlSequenceNode sequence && int.TryParse(key, out var index))
            {
                node = sequence.Children[index];
                continue;
            }
            var map = node.ShouldBeOfType<YamlMappingNode>();
            map.Children.ContainsKey(new YamlScalarNode(key)).ShouldBeTrue($"no key '{key}' in {string.Join(", ", map.Children.Keys)}");
            node = map.Children[new YamlScalarNode(key)];
        }
        return node;
    }

    public static bool Has(this YamlNode node, string key) =>
        node is YamlMappingNode map && map.Children.ContainsKey(new YamlScalarNode(key));

    public static string Text(this YamlNode node, params string[] path) =>
        node.At(path).ShouldBeOfType<YamlScalarNode>().Value!;

    public static List<string> List(this YamlNode node, params string[] path) =>
        node.At(path).ShouldBeOfType<YamlSequenceNode>().Children.Select(c => ((YamlScalarNode)c).Value!).ToList();

    public static List<string> Keys(this YamlNode node, params string[] path) =>
        node.At(path).ShouldBeOfType<YamlMappingNode>().Children.Keys.Select(k => ((YamlScalarNode)k).Value!).ToList();
}

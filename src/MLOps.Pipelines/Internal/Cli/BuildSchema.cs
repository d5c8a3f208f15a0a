using System.Text.Json;
using System.Text.Json.Nodes;
using MLOps.Pipelines.Internal.Graph;
using MLOps.Pipelines.Internal.Parameters;

namespace MLOps.Pipelines.Internal.Cli;

/// <summary><c>.nuke/build.schema.json</c>: a JSON schema of the parameters, so editors complete and check parameters.json.</summary>
internal static class BuildSchema
{
    public static string Render(TargetGraph graph, IReadOnlyList<ParameterMember> parameters)
    {
        var properties = new JsonObject
        {
            ["$schema"] = new JsonObject { ["type"] = "string" },
        };
        foreach (var parameter in parameters)
        {
            var schema = TypeSchema(parameter.ValueType);
            if (parameter.Description is { } description) schema["description"] = description;
            properties[parameter.Name] = schema;
        }
        var root = new JsonObject
        {
            ["$schema"] = "http://json-schema.org/draft-07/schema#",
            ["title"] = "Build parameters",
            ["type"] = "object",
            ["additionalProperties"] = false,
            ["properties"] = properties,
            ["definitions"] = new JsonObject
            {
                ["Target"] = new JsonObject
                {
                    ["type"] = "string",
                    ["enum"] = new JsonArray(graph.Families.Keys.Concat(graph.Targets.Select(t => t.Name)).Select(n => (JsonNode)n).ToArray()),
                },
            },
        };
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }).ReplaceLineEndings("\n") + "\n";
    }

    static JsonObject TypeSchema(Type type)
    {
        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        if (underlying.IsArray)
            return new JsonObject { ["type"] = "array", ["items"] = TypeSchema(underlying.GetElementType()!) };
        if (underlying.IsEnum)
            return new JsonObject { ["type"] = "string", ["enum"] = new JsonArray(Enum.GetNames(underlying).Select(n => (JsonNode)n).ToArray()) };
        var name = underlying == typeof(bool) ? "boolean"
            : underlying == typeof(int) || underlying == typeof(long) || underlying == typeof(short) ? "integer"
            : underlying == typeof(double) || underlying == typeof(float) || underlying == typeof(decimal) ? "number"
            : "string";
        return new JsonObject { ["type"] = name };
    }

    /// <summary>Writes the schema only when it changed, atomically (two builds may start at once).</summary>
    public static void WriteIfChanged(AbsolutePath path, string content)
    {
        if (File.Exists(path) && File.ReadAllText(path) == content) return;
        AtomicFile.WriteAllText(path, content);
    }
}

using System.Text.Json.Nodes;

namespace MLOps.Pipelines.Containers.Oci;

/// <summary>
/// Composes an image config from the base's and the new settings: every time stamp and builder-specific field
/// dropped, environment and labels merged (the new value wins), one history line per layer.
/// </summary>
public static class ImageConfig
{
    static readonly string[] VolatileFields = ["created", "author", "container", "container_config", "docker_version", "builder", "id", "parent"];

    public static JsonObject Compose(SourceImage baseImage, IReadOnlyList<ImageLayer> layers, ImageSettings settings)
    {
        var baseConfig = baseImage.Config["config"] as JsonObject;

        var env = new List<string>();
        foreach (var line in (baseConfig?["Env"] as JsonArray ?? []).Select(n => n?.GetValue<string>()).OfType<string>())
        {
            var key = line.Split('=', 2)[0];
            if (!settings.Environment.ContainsKey(key)) env.Add(line);
        }
        env.AddRange(settings.Environment.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"));

        var labels = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in baseConfig?["Labels"] as JsonObject ?? [])
            if (value is not null) labels[key] = value.GetValue<string>();
        foreach (var (key, value) in settings.Labels) labels[key] = value;

        var ports = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var (key, _) in baseConfig?["ExposedPorts"] as JsonObject ?? []) ports.Add(key);
        foreach (var port in settings.ExposedPorts) ports.Add($"{port}/tcp");

        var config = new JsonObject
        {
            ["User"] = settings.User,
            ["ExposedPorts"] = Object(ports.Select(p => new KeyValuePair<string, JsonNode?>(p, new JsonObject()))),
            ["Env"] = new JsonArray(env.Select(e => (JsonNode)e!).ToArray()),
            ["Entrypoint"] = Strings(settings.Entrypoint.Count > 0 ? settings.Entrypoint : StringsOf(baseConfig?["Entrypoint"])),
            ["Cmd"] = Strings(settings.Cmd.Count > 0 ? settings.Cmd : StringsOf(baseConfig?["Cmd"])),
            ["WorkingDir"] = settings.WorkingDir,
            ["Labels"] = Object(labels.Select(p => new KeyValuePair<string, JsonNode?>(p.Key, p.Value))),
        };

        var history = new JsonArray();
        foreach (var entry in baseImage.Config["history"] as JsonArray ?? [])
        {
            if (entry is not JsonObject line) continue;
            var copy = new JsonObject();
            foreach (var (key, value) in line)
                if (key is not ("created" or "author")) copy[key] = value?.DeepClone();
            history.Add(copy);
        }
        foreach (var layer in layers.Skip(baseImage.Layers.Count))
            history.Add(new JsonObject { ["created_by"] = layer.CreatedBy });

        var result = new JsonObject();
        foreach (var (key, value) in baseImage.Config)
            if (!VolatileFields.Contains(key) && key is not ("config" or "rootfs" or "history")) result[key] = value?.DeepClone();
        result["architecture"] ??= "amd64";
        result["os"] ??= "linux";
        result["config"] = config;
        result["rootfs"] = new JsonObject { ["type"] = "layers", ["diff_ids"] = new JsonArray(layers.Select(l => (JsonNode)l.DiffId!).ToArray()) };
        result["history"] = history;
        return result;
    }

    static IReadOnlyList<string> StringsOf(JsonNode? node) =>
        (node as JsonArray)?.Select(n => n?.GetValue<string>()).OfType<string>().ToList() ?? [];

    static JsonArray Strings(IEnumerable<string> values) => new(values.Select(v => (JsonNode)v!).ToArray());

    static JsonObject Object(IEnumerable<KeyValuePair<string, JsonNode?>> pairs) => new(pairs);
}

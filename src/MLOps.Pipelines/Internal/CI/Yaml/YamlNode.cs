namespace MLOps.Pipelines.Internal.CI.Yaml;

/// <summary>A node of the small ordered YAML model the CI generators build; written by <see cref="YamlText"/>.</summary>
internal abstract class YamlNode;

internal enum YamlScalarKind
{
    /// <summary>A string: emitted plain when a YAML reader would read it back as the same string, else double-quoted.</summary>
    Text,
    /// <summary>Emitted plain as given: numbers, booleans and keys such as GitHub's <c>on</c> that must stay bare.</summary>
    Verbatim,
    /// <summary>A multi-line string, emitted as a literal block (<c>|</c>).</summary>
    Block,
}

internal sealed class YamlScalar(string value, YamlScalarKind kind) : YamlNode
{
    public string Value { get; } = value;
    public YamlScalarKind Kind { get; } = kind;

    public static YamlScalar Text(string value) => new(value, value.Contains('\n') ? YamlScalarKind.Block : YamlScalarKind.Text);
    public static YamlScalar Verbatim(string value) => new(value, YamlScalarKind.Verbatim);
    public static YamlScalar Bool(bool value) => Verbatim(value ? "true" : "false");
    public static YamlScalar Number(int value) => Verbatim(value.ToString(System.Globalization.CultureInfo.InvariantCulture));
}

/// <summary>A mapping that keeps insertion order, so output order is the order the generator chose.</summary>
internal sealed class YamlMap : YamlNode
{
    readonly List<KeyValuePair<YamlScalar, YamlNode>> _entries = [];

    public IReadOnlyList<KeyValuePair<YamlScalar, YamlNode>> Entries => _entries;
    public int Count => _entries.Count;

    public YamlMap Add(YamlScalar key, YamlNode value)
    {
        if (_entries.Any(e => e.Key.Value == key.Value))
            throw new InvalidOperationException($"Duplicate YAML key '{key.Value}'.");
        _entries.Add(new(key, value));
        return this;
    }

    public YamlMap Add(YamlScalar key, string value) => Add(key, YamlScalar.Text(value));
    public YamlMap Add(string key, YamlNode value) => Add(YamlScalar.Text(key), value);
    public YamlMap Add(string key, string value) => Add(key, YamlScalar.Text(value));
    public YamlMap Add(string key, bool value) => Add(key, YamlScalar.Bool(value));
    public YamlMap Add(string key, int value) => Add(key, YamlScalar.Number(value));
    public YamlMap Add(string key, IEnumerable<string> values) => Add(key, YamlSequence.Of(values));

    /// <summary>Adds the entry only when the value is non-empty; keeps optional keys out of the output.</summary>
    public YamlMap AddIfAny(string key, IReadOnlyCollection<string> values) => values.Count > 0 ? Add(key, values) : this;
    public YamlMap AddIfAny(string key, YamlMap value) => value.Count > 0 ? Add(key, value) : this;
}

internal sealed class YamlSequence : YamlNode
{
    public List<YamlNode> Items { get; } = [];

    public static YamlSequence Of(IEnumerable<string> values)
    {
        var seq = new YamlSequence();
        seq.Items.AddRange(values.Select(YamlScalar.Text));
        return seq;
    }

    public YamlSequence Add(YamlNode item)
    {
        Items.Add(item);
        return this;
    }
}

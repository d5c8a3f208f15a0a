using MLOps.Pipelines.ML.Data;
using MLOps.Pipelines.ML.Tasks;

namespace MLOps.Pipelines.ML.Features;

/// <summary>
/// How a pipeline turns typed rows into model columns: exactly one label (a bool <see cref="FeatureColumn.Label(string, Func{TableChunk, bool?[]})"/>
/// makes a binary task, a string <see cref="FeatureColumn.ClassLabel(string, string?)"/> a multiclass one) plus numeric and
/// categorical features.
/// </summary>
public sealed class FeatureDefinition
{
    public FeatureDefinition(IReadOnlyList<FeatureColumn> columns, IReadOnlyList<string>? groups = null)
    {
        ArgumentNullException.ThrowIfNull(columns);
        var labels = columns.Where(c => c.Kind is FeatureKind.Label or FeatureKind.ClassLabel).ToList();
        if (labels.Count != 1)
            throw new ArgumentException($"a feature definition needs exactly one label column, got {labels.Count}", nameof(columns));
        var duplicate = columns.GroupBy(c => c.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new ArgumentException($"feature column '{duplicate.Key}' is declared twice", nameof(columns));
        var unknown = groups?.FirstOrDefault(g => columns.All(c => c.Name != g));
        if (unknown is not null) throw new ArgumentException($"group column '{unknown}' is not a feature column", nameof(groups));

        Columns = columns;
        Spec = new FeatureSpec(
            labels[0].Name,
            columns.Where(c => c.Kind == FeatureKind.Numeric).Select(c => c.Name).ToList(),
            columns.Where(c => c.Kind == FeatureKind.Categorical).Select(c => c.Name).ToList())
        { Groups = groups ?? [], Task = labels[0].Kind == FeatureKind.ClassLabel ? TaskKind.Multiclass : TaskKind.Binary };
    }

    public IReadOnlyList<FeatureColumn> Columns { get; }

    /// <summary>The non-label columns in declaration order: what rows to score get (<see cref="RawFeatureRows.Compute"/>).</summary>
    internal ColumnOrder ScoringOrder => scoringOrder ??= new ColumnOrder(Columns.Where(c => c.Kind is not (FeatureKind.Label or FeatureKind.ClassLabel)).Select(c => c.Name));

    private ColumnOrder? scoringOrder;

    public FeatureSpec Spec { get; }

    /// <summary>The layout of every prepared file, in declaration order.</summary>
    internal IReadOnlyList<ColumnLayout> Layout => Columns.Select(c => c.Kind switch
    {
        FeatureKind.Numeric => new ColumnLayout(c.Name, ColumnType.Single, false),
        FeatureKind.Categorical => new ColumnLayout(c.Name, ColumnType.Categorical, true),
        FeatureKind.ClassLabel => new ColumnLayout(c.Name, ColumnType.Categorical, true),
        _ => new ColumnLayout(c.Name, ColumnType.Bool, false),
    }).ToList();

    /// <summary>Computes the prepared columns of a chunk; rows whose label is null are dropped.</summary>
    internal TableChunk Apply(TableChunk input, out bool[] kept)
    {
        var computed = Columns.Select(c => (Column: c, Values: c.Compute(input))).ToList();
        foreach (var (column, values) in computed)
            if (values.Length != input.RowCount)
                throw new InvalidOperationException($"feature '{column.Name}' computed {values.Length} values for {input.RowCount} rows");

        var label = computed.Single(c => c.Column.Kind is FeatureKind.Label or FeatureKind.ClassLabel).Values;
        kept = label is bool?[] flags ? Array.ConvertAll(flags, l => l is not null) : Array.ConvertAll((string?[])label, l => l is not null);
        var output = new TableChunk(input.FirstRow, input.RowCount);
        foreach (var (column, values) in computed)
        {
            Array stored = column.Kind switch
            {
                FeatureKind.Numeric => Array.ConvertAll((float[])values, v => (float?)v),
                FeatureKind.Label => (bool?[])values,
                _ => (string?[])values,
            };
            output.Add(column.Name, column.Kind switch
            {
                FeatureKind.Numeric => ColumnType.Single,
                FeatureKind.Categorical or FeatureKind.ClassLabel => ColumnType.Categorical,
                _ => ColumnType.Bool,
            }, stored);
        }
        return output;
    }
}

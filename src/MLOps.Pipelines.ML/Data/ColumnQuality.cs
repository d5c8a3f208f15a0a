using System.Text.Json;
using System.Text.Json.Serialization;

namespace MLOps.Pipelines.ML.Data;

/// <summary>
/// Statistics of one column over the accepted rows. Numeric columns fill Min/Max/Mean, timestamps Earliest/Latest,
/// categorical and bool columns Distinct and TopCategories (most frequent first, ties by value).
/// <see cref="Violations"/> counts broken rules in this column over all rows read.
/// </summary>
public sealed record ColumnQuality(
    string Name,
    ColumnType Type,
    long Nulls,
    long Violations,
    double? Min = null,
    double? Max = null,
    double? Mean = null,
    DateTime? Earliest = null,
    DateTime? Latest = null,
    long? Distinct = null,
    bool? DistinctTruncated = null,
    IReadOnlyList<CategoryCount>? TopCategories = null);

using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLOps.Pipelines.ML.Evaluation;

/// <summary>Reads whole columns of a (scored) data view in the shapes evaluation needs.</summary>
internal static class DataViewColumns
{
    public static bool[] Labels(IDataView data, string column)
    {
        var type = Require(data, column, "label");
        if (type is not BooleanDataViewType)
        {
            throw new ArgumentException($"Label column '{column}' is {type}; it must be bool.", nameof(column));
        }

        return data.GetColumn<bool>(column).ToArray();
    }

    /// <summary>Group keys as invariant strings, whatever the column's primitive type.</summary>
    public static string[] AsStrings(IDataView data, string column)
    {
        var type = Require(data, column, "group");
        return type.RawType switch
        {
            var t when t == typeof(ReadOnlyMemory<char>) => data.GetColumn<ReadOnlyMemory<char>>(column).Select(v => v.ToString()).ToArray(),
            var t when t == typeof(bool) => data.GetColumn<bool>(column).Select(v => v ? "true" : "false").ToArray(),
            var t when t == typeof(float) => data.GetColumn<float>(column).Select(v => v.ToString(CultureInfo.InvariantCulture)).ToArray(),
            var t when t == typeof(double) => data.GetColumn<double>(column).Select(v => v.ToString(CultureInfo.InvariantCulture)).ToArray(),
            var t when t == typeof(int) => data.GetColumn<int>(column).Select(v => v.ToString(CultureInfo.InvariantCulture)).ToArray(),
            var t when t == typeof(long) => data.GetColumn<long>(column).Select(v => v.ToString(CultureInfo.InvariantCulture)).ToArray(),
            _ => throw new ArgumentException(
                $"Group column '{column}' has type {type}; use a string, bool or numeric column.", nameof(column)),
        };
    }

    private static DataViewType Require(IDataView data, string column, string role)
    {
        var found = data.Schema.GetColumnOrNull(column) ?? throw new ArgumentException(
            $"The evaluation data has no {role} column '{column}'. Columns present: " +
            string.Join(", ", data.Schema.Where(c => !c.IsHidden).Select(c => c.Name)) + ".", nameof(column));
        return found.Type;
    }
}

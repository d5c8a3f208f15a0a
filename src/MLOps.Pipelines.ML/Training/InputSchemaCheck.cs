using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLOps.Pipelines.ML.Training;

/// <summary>Checks that a data view carries the columns (name and type) a model was built for.</summary>
internal static class InputSchemaCheck
{
    public static void Require(DataViewSchema data, IEnumerable<(string Name, DataViewType Type)> required, string purpose)
    {
        var problems = new List<string>();
        foreach (var (name, type) in required)
        {
            var column = data.GetColumnOrNull(name);
            if (column is null)
            {
                problems.Add($"column '{name}' is missing (expected {Describe(type)})");
            }
            else if (!column.Value.Type.Equals(type))
            {
                problems.Add($"column '{name}' is {Describe(column.Value.Type)}, expected {Describe(type)}");
            }
        }

        if (problems.Count > 0)
        {
            var present = string.Join(", ", data.Where(c => !c.IsHidden).Select(c => c.Name));
            throw new ModelInputException(
                $"Cannot {purpose}: {string.Join("; ", problems)}. Columns present: {present}. " +
                "Provide the columns with these names and types (numeric features as float, categoricals as string, label as bool).");
        }
    }

    public static string Describe(DataViewType type) => type switch
    {
        TextDataViewType => "string",
        BooleanDataViewType => "bool",
        _ when type.RawType == typeof(float) => "float",
        _ when type.RawType == typeof(double) => "double",
        _ => type.ToString() ?? type.GetType().Name,
    };
}

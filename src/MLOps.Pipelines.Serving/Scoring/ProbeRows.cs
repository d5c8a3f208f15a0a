namespace MLOps.Pipelines.Serving.Scoring;

/// <summary>The rows a managed scoring path is checked on against the whole graph in ONNX Runtime at load.</summary>
internal static class ProbeRows
{
    /// <summary>The probe rows, then three more: every text input missing, every text input unseen, every number missing.</summary>
    public static (Dictionary<string, Array> Features, int Rows) WithMissingAndUnseen(IReadOnlyDictionary<string, Array> probe, int rows, IReadOnlyDictionary<string, bool> text)
    {
        var result = new Dictionary<string, Array>(StringComparer.Ordinal);
        foreach (var (name, isText) in text)
        {
            var source = probe[name];
            if (isText)
            {
                var values = new string?[rows + 3];
                Array.Copy(source, values, rows);
                values[rows] = null;
                values[rows + 1] = "\u0001unseen in training";
                values[rows + 2] = rows > 0 ? values[0] : null;
                result[name] = values;
            }
            else
            {
                var values = new float[rows + 3];
                Array.Copy(source, values, rows);
                values[rows] = rows > 0 ? values[0] : 0f;
                values[rows + 1] = rows > 0 ? values[0] : 0f;
                values[rows + 2] = float.NaN;
                result[name] = values;
            }
        }

        return (result, rows + 3);
    }
}

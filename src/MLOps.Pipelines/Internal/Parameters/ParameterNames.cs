using System.Text;

namespace MLOps.Pipelines.Internal.Parameters;

/// <summary>How a member name is spelled on the command line and in the environment.</summary>
internal static class ParameterNames
{
    /// <summary><c>LearningRate</c> → <c>learning-rate</c>; <c>OnnxURL</c> → <c>onnx-url</c>.</summary>
    public static string ToKebabCase(string name) => Split(name, '-').ToLowerInvariant();

    /// <summary><c>LearningRate</c> → <c>LEARNING_RATE</c>.</summary>
    public static string ToEnvironmentName(string name) => Split(name, '_').ToUpperInvariant();

    /// <summary>Case-, dash- and underscore-insensitive key, so <c>learning-rate</c>, <c>LearningRate</c> and <c>LEARNING_RATE</c> meet.</summary>
    public static string Key(string name) => new string(name.Where(char.IsLetterOrDigit).ToArray()).ToLowerInvariant();

    static string Split(string name, char separator)
    {
        var builder = new StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (c is '_' or '-' or ' ')
            {
                if (builder.Length > 0 && builder[^1] != separator) builder.Append(separator);
                continue;
            }
            var startsWord = i > 0 && char.IsUpper(c) &&
                (char.IsLower(name[i - 1]) || char.IsDigit(name[i - 1]) || (i + 1 < name.Length && char.IsLower(name[i + 1]) && char.IsUpper(name[i - 1])));
            if (startsWord && builder.Length > 0 && builder[^1] != separator) builder.Append(separator);
            builder.Append(c);
        }
        return builder.ToString();
    }
}

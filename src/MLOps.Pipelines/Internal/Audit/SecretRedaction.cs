using System.Text.RegularExpressions;
using MLOps.Pipelines.Internal.Cli;

namespace MLOps.Pipelines.Internal.Audit;

/// <summary>
/// Keeps secrets out of the audit record: the values of <c>[Secret]</c> parameters wherever they appear (command line,
/// event fields, reasons), the value after a secret's flag, and the password of a URL's user information.
/// </summary>
internal sealed partial class SecretRedaction(IReadOnlyCollection<string> secretValues, IReadOnlyCollection<string> secretFlags)
{
    public const string Mask = "***";

    // Longest first, so a secret containing another is masked whole.
    readonly string[] _values = [.. secretValues.Where(v => v.Length > 0).Distinct().OrderByDescending(v => v.Length)];
    readonly HashSet<string> _flags = new(secretFlags, StringComparer.OrdinalIgnoreCase);

    public string Scrub(string text)
    {
        foreach (var value in _values) text = text.Replace(value, Mask, StringComparison.Ordinal);
        return text.Contains("://", StringComparison.Ordinal) ? UrlPassword().Replace(text, "$1" + Mask + "@") : text;
    }

    /// <summary>The command line with every secret flag's values masked (<c>--token abc</c> and <c>--token=abc</c>).</summary>
    public IReadOnlyList<string> CommandLine(IReadOnlyList<string> args)
    {
        var result = new List<string>(args.Count);
        var masking = false;
        foreach (var arg in args)
        {
            if (arg.StartsWith("--", StringComparison.Ordinal))
            {
                var equals = arg.IndexOf('=', StringComparison.Ordinal);
                var flag = equals < 0 ? arg[2..] : arg[2..equals];
                masking = _flags.Contains(flag);
                result.Add(masking && equals >= 0 ? arg[..(equals + 1)] + Mask : Scrub(arg));
                if (equals >= 0) masking = false;
            }
            else result.Add(masking ? Mask : Scrub(arg));
        }
        return result;
    }

    [GeneratedRegex(@"(\w+://[^/\s:@]+:)[^@/\s]+@")]
    private static partial Regex UrlPassword();
}

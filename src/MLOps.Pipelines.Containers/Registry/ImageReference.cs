using System.Net;
using System.Text.RegularExpressions;

namespace MLOps.Pipelines.Containers.Registry;

/// <summary>
/// <c>host[:port]/repository[:tag]</c> as the distribution specification names it. Plain HTTP is used only for a
/// loopback host (127.0.0.0/8, ::1, localhost); any other registry is spoken to over HTTPS.
/// </summary>
public sealed partial record ImageReference(string Registry, string Repository, string? Tag)
{
    public static ImageReference Parse(string reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        var slash = reference.IndexOf('/');
        if (slash <= 0) throw new FormatException($"Image reference '{reference}' has no registry: write it as host:port/repository[:tag], e.g. 127.0.0.1:5000/flight-delays:v3.");
        var registry = reference[..slash];
        var rest = reference[(slash + 1)..];
        string? tag = null;
        var colon = rest.LastIndexOf(':');
        if (colon > rest.LastIndexOf('/'))
        {
            tag = rest[(colon + 1)..];
            rest = rest[..colon];
        }
        var parsed = new ImageReference(registry, rest, tag);
        parsed.Validate(reference);
        return parsed;
    }

    public static ImageReference Of(string registry, string repository, string? tag = null)
    {
        var reference = new ImageReference(registry, repository, tag);
        reference.Validate($"{registry}/{repository}{(tag is null ? "" : ":" + tag)}");
        return reference;
    }

    void Validate(string original)
    {
        if (!HostPattern().IsMatch(Registry)) throw new FormatException($"'{Registry}' in '{original}' is not a registry host[:port].");
        if (!RepositoryPattern().IsMatch(Repository) || Repository.Length > 255)
            throw new FormatException($"'{Repository}' in '{original}' is not a repository name: lowercase letters and digits separated by '.', '_', '__', '-' or '/'.");
        if (Tag is not null && !TagPattern().IsMatch(Tag))
            throw new FormatException($"'{Tag}' in '{original}' is not a tag: up to 128 of letters, digits, '_', '.', '-', not starting with '.' or '-'.");
    }

    public bool IsLoopback
    {
        get
        {
            var host = Registry.StartsWith('[') ? Registry[1..Registry.IndexOf(']')] : Registry.Split(':')[0];
            return host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || (IPAddress.TryParse(host, out var ip) && IPAddress.IsLoopback(ip));
        }
    }

    public Uri BaseUri => new($"{(IsLoopback ? "http" : "https")}://{Registry}/v2/{Repository}/");

    public override string ToString() => $"{Registry}/{Repository}{(Tag is null ? "" : ":" + Tag)}";

    [GeneratedRegex(@"^([a-zA-Z0-9.-]+|\[[0-9a-fA-F:]+\])(:[0-9]{1,5})?$")]
    private static partial Regex HostPattern();

    [GeneratedRegex("^[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*(/[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*)*$")]
    private static partial Regex RepositoryPattern();

    [GeneratedRegex("^[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}$")]
    private static partial Regex TagPattern();
}

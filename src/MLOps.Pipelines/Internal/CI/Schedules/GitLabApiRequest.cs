using System.Net.Http.Headers;
using System.Text;

namespace MLOps.Pipelines.Internal.CI.Schedules;

/// <summary>One call of GitLab's REST API, printable (without the token) and sendable (with it).</summary>
internal sealed record GitLabApiRequest(HttpMethod Method, string Url, string? JsonBody)
{
    public const string TokenHeader = "PRIVATE-TOKEN";

    public string ToText()
    {
        var text = new StringBuilder()
            .Append(Method.Method).Append(' ').Append(Url).Append('\n')
            .Append(TokenHeader).Append(": <token with the api scope>\n");
        if (JsonBody is not null)
            text.Append("Content-Type: application/json\n\n").Append(JsonBody).Append('\n');
        return text.ToString();
    }

    /// <summary>The request as sent; <paramref name="token"/> null sends it without credentials (another origin).</summary>
    public static HttpRequestMessage Message(HttpMethod method, Uri url, string? jsonBody, string? token)
    {
        var message = new HttpRequestMessage(method, url);
        if (token is not null)
            message.Headers.Add(TokenHeader, token);
        message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (jsonBody is not null)
            message.Content = new StringContent(jsonBody, Encoding.UTF8, "application/json");
        return message;
    }
}

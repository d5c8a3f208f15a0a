using System.Text.Json;
using System.Text.Json.Nodes;

namespace MLOps.Pipelines.Internal.CI.Schedules;

/// <summary>
/// Creates or updates a pipeline schedule through GitLab's Pipeline Schedules API (GET/POST/PUT
/// <c>/api/v4/projects/:id/pipeline_schedules</c>, variables under <c>/:schedule_id/variables</c>), finding an
/// existing schedule by its description. Without a token it returns the exact requests instead. The token goes only
/// to the GitLab URL's own origin: redirects are followed here, not by the HTTP stack, and one to another origin
/// (scheme, host or port) is followed without the token.
/// </summary>
internal static class GitLabPipelineSchedules
{
    const int MaxRedirects = 5;

    public static async Task<GitLabScheduleOutcome> CreateOrUpdateAsync(Uri gitLabUrl, string projectId,
        string? token, GitLabPipelineSchedule schedule, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(token))
            return new("printed", null, DescribeRequests(gitLabUrl, projectId, schedule));

        // Never the HTTP stack's own redirect following: it would carry PRIVATE-TOKEN to wherever a 302 points.
        using var http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { Timeout = TimeSpan.FromSeconds(60) };
        var api = new Endpoints(gitLabUrl, projectId);
        var existing = await FindAsync(http, api, token, schedule.Description, cancellationToken);
        var log = new List<string>();
        int id;
        HashSet<string> existingVariables;
        if (existing is null)
        {
            var created = await SendAsync(http, token, api.Create(schedule), cancellationToken);
            id = created!["id"]!.GetValue<int>();
            existingVariables = [];
            log.Add($"created GitLab pipeline schedule {id} \"{schedule.Description}\" ({schedule.Cron} {schedule.CronTimezone}) on {schedule.Ref}");
        }
        else
        {
            id = existing.Value;
            var updated = await SendAsync(http, token, api.Update(id, schedule), cancellationToken);
            existingVariables = (updated?["variables"]?.AsArray() ?? [])
                .Select(v => v!["key"]!.GetValue<string>()).ToHashSet(StringComparer.Ordinal);
            if (updated?["variables"] is null)
            {
                var current = await SendAsync(http, token, api.Get(id), cancellationToken);
                existingVariables = (current?["variables"]?.AsArray() ?? [])
                    .Select(v => v!["key"]!.GetValue<string>()).ToHashSet(StringComparer.Ordinal);
            }
            log.Add($"updated GitLab pipeline schedule {id} \"{schedule.Description}\" ({schedule.Cron} {schedule.CronTimezone}) on {schedule.Ref}");
        }
        foreach (var (key, value) in schedule.Variables.OrderBy(v => v.Key, StringComparer.Ordinal))
        {
            var request = existingVariables.Contains(key) ? api.UpdateVariable(id, key, value) : api.CreateVariable(id, key, value);
            await SendAsync(http, token, request, cancellationToken);
            log.Add($"  variable {key} {(existingVariables.Contains(key) ? "updated" : "added")}");
        }
        return new(existing is null ? "created" : "updated", id, string.Join("\n", log));
    }

    /// <summary>The requests <see cref="CreateOrUpdateAsync"/> would make, for a person to run with their own token.</summary>
    public static string DescribeRequests(Uri gitLabUrl, string projectId, GitLabPipelineSchedule schedule)
    {
        var api = new Endpoints(gitLabUrl, projectId);
        var text = new System.Text.StringBuilder()
            .Append($"# No GitLab token given: these are the requests that create or update the schedule \"{schedule.Description}\".\n")
            .Append("# 1. List the schedules and look for that description (follow the X-Next-Page header for more pages):\n")
            .Append(api.List(1).ToText())
            .Append("\n# 2a. When none has it, create the schedule:\n")
            .Append(api.Create(schedule).ToText())
            .Append("\n#     then add its variables (<schedule_id> is the \"id\" of the answer):\n");
        foreach (var (key, value) in schedule.Variables.OrderBy(v => v.Key, StringComparer.Ordinal))
            text.Append(api.CreateVariable(null, key, value).ToText());
        text.Append("\n# 2b. Otherwise update it (<schedule_id> is the \"id\" of the listed schedule):\n")
            .Append(api.Update(null, schedule).ToText())
            .Append("\n#     and set its variables (POST as in 2a for a variable the schedule does not have yet):\n");
        foreach (var (key, value) in schedule.Variables.OrderBy(v => v.Key, StringComparer.Ordinal))
            text.Append(api.UpdateVariable(null, key, value).ToText());
        return text.ToString();
    }

    static async Task<int?> FindAsync(HttpClient http, Endpoints api, string token, string description, CancellationToken cancellationToken)
    {
        for (var page = 1; ; page++)
        {
            using var response = await SendFollowingRedirectsAsync(http, token, api.List(page), cancellationToken);
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            Ensure(response, body, api.List(page));
            foreach (var schedule in JsonNode.Parse(body)!.AsArray())
                if (schedule!["description"]?.GetValue<string>() == description)
                    return schedule["id"]!.GetValue<int>();
            if (!response.Headers.TryGetValues("X-Next-Page", out var next) || string.IsNullOrEmpty(next.FirstOrDefault()))
                return null;
        }
    }

    static async Task<JsonNode?> SendAsync(HttpClient http, string token, GitLabApiRequest request, CancellationToken cancellationToken)
    {
        using var response = await SendFollowingRedirectsAsync(http, token, request, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        Ensure(response, body, request);
        return body.Length == 0 ? null : JsonNode.Parse(body);
    }

    /// <summary>
    /// Sends the request and follows up to <see cref="MaxRedirects"/> redirects itself; the token is attached only while
    /// the URL has the origin of the first request. 301/302/303 turn a POST or PUT into a GET (as HTTP clients do),
    /// 307/308 keep the method and body.
    /// </summary>
    internal static async Task<HttpResponseMessage> SendFollowingRedirectsAsync(HttpClient http, string token, GitLabApiRequest request, CancellationToken cancellationToken)
    {
        var origin = new Uri(request.Url);
        var url = origin;
        var method = request.Method;
        var body = request.JsonBody;
        for (var hop = 0; ; hop++)
        {
            using var message = GitLabApiRequest.Message(method, url, body, SameOrigin(url, origin) ? token : null);
            var response = await http.SendAsync(message, cancellationToken).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            if (status is not (301 or 302 or 303 or 307 or 308) || response.Headers.Location is not { } location)
                return response;
            response.Dispose();
            if (hop == MaxRedirects)
                throw new InvalidOperationException($"GitLab redirected {request.Method} {request.Url} more than {MaxRedirects} times; check the GitLab URL.");
            url = new Uri(url, location);
            if (url.Scheme is not ("http" or "https"))
                throw new InvalidOperationException($"GitLab redirected {request.Method} {request.Url} to {url.Scheme}:, which is not HTTP; check the GitLab URL.");
            if (status is 301 or 302 or 303 && method != HttpMethod.Get && method != HttpMethod.Head)
            {
                method = HttpMethod.Get;
                body = null;
            }
        }
    }

    static bool SameOrigin(Uri a, Uri b) =>
        string.Equals(a.Scheme, b.Scheme, StringComparison.OrdinalIgnoreCase) &&
        string.Equals(a.IdnHost, b.IdnHost, StringComparison.OrdinalIgnoreCase) && a.Port == b.Port;

    static void Ensure(HttpResponseMessage response, string body, GitLabApiRequest request)
    {
        if (response.IsSuccessStatusCode)
            return;
        var hint = (int)response.StatusCode switch
        {
            401 => " Check that the token is valid.",
            403 => " The token needs the api scope and the Maintainer role (or ownership of the schedule).",
            404 => " Check the GitLab URL and the project id (a path must be URL-encoded, e.g. group%2Fproject).",
            _ => "",
        };
        throw new InvalidOperationException(
            $"GitLab answered {(int)response.StatusCode} {response.ReasonPhrase} to {request.Method} {request.Url}: {Truncate(body)}.{hint}");
    }

    static string Truncate(string body) => body.Length <= 300 ? body : body[..300] + "…";

    /// <summary>The URLs and bodies of the API; an id of null prints as the placeholder &lt;schedule_id&gt;.</summary>
    sealed class Endpoints(Uri gitLabUrl, string projectId)
    {
        readonly string _schedules = $"{gitLabUrl.ToString().TrimEnd('/')}/api/v4/projects/{EncodeProject(projectId)}/pipeline_schedules";

        /// <summary>An id or a path; a path given already URL-encoded (group%2Fproject) is not encoded a second time (%252F).</summary>
        internal static string EncodeProject(string projectId) => Uri.EscapeDataString(Uri.UnescapeDataString(projectId));

        public GitLabApiRequest List(int page) => new(HttpMethod.Get, $"{_schedules}?per_page=100&page={page}", null);
        public GitLabApiRequest Get(int id) => new(HttpMethod.Get, $"{_schedules}/{id}", null);
        public GitLabApiRequest Create(GitLabPipelineSchedule s) => new(HttpMethod.Post, _schedules, Body(s));
        public GitLabApiRequest Update(int? id, GitLabPipelineSchedule s) => new(HttpMethod.Put, $"{_schedules}/{Id(id)}", Body(s));

        public GitLabApiRequest CreateVariable(int? id, string key, string value) => new(HttpMethod.Post, $"{_schedules}/{Id(id)}/variables",
            Json(new JsonObject { ["key"] = key, ["value"] = value, ["variable_type"] = "env_var" }));

        public GitLabApiRequest UpdateVariable(int? id, string key, string value) => new(HttpMethod.Put,
            $"{_schedules}/{Id(id)}/variables/{Uri.EscapeDataString(key)}",
            Json(new JsonObject { ["value"] = value, ["variable_type"] = "env_var" }));

        static string Id(int? id) => id?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "<schedule_id>";

        static string Body(GitLabPipelineSchedule s) => Json(new JsonObject
        {
            ["description"] = s.Description,
            ["ref"] = s.Ref,
            ["cron"] = s.Cron,
            ["cron_timezone"] = s.CronTimezone,
            ["active"] = true,
        });

        static string Json(JsonObject body) => body.ToJsonString(new JsonSerializerOptions { WriteIndented = false });
    }
}

using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace MLOps.Pipelines.Tests.CI;

/// <summary>
/// A small HTTP server on 127.0.0.1 that answers the Pipeline Schedules endpoints of GitLab's REST API and records
/// every request. GitLab itself cannot run on this machine (no network, no multi-GB Omnibus install), so this fake
/// stands in; the client under test still speaks real HTTP to it. It pages the schedule list one per page so that
/// the client's following of X-Next-Page is exercised.
/// </summary>
internal sealed class FakeGitLabApi : IDisposable
{
    public sealed record Request(string Method, string RawUrl, string? Token, string Body);

    public sealed class Schedule
    {
        public int Id { get; init; }
        public string Description { get; set; } = "";
        public string Ref { get; set; } = "";
        public string Cron { get; set; } = "";
        public string CronTimezone { get; set; } = "";
        public SortedDictionary<string, string> Variables { get; } = new(StringComparer.Ordinal);
    }

    readonly HttpListener _listener = new();
    readonly Task _loop;
    readonly string _token;
    readonly string _projectPath;
    int _nextId = 10;

    public List<Request> Requests { get; } = [];
    /// <summary>When set, the next request is answered with a redirect to this base URL plus the request's path and query.</summary>
    public Uri? RedirectNextTo { get; set; }
    public int RedirectStatus { get; set; } = 302;
    public List<Schedule> Schedules { get; } = [];
    public Uri BaseUrl { get; }

    public FakeGitLabApi(string token, string encodedProjectId)
    {
        _token = token;
        _projectPath = $"/api/v4/projects/{encodedProjectId}/pipeline_schedules";
        BaseUrl = new Uri($"http://127.0.0.1:{LoopbackPort.Free()}/");
        _listener.Prefixes.Add(BaseUrl.ToString());
        _listener.Start();
        _loop = Task.Run(ServeAsync);
    }

    async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            var body = await new StreamReader(context.Request.InputStream).ReadToEndAsync();
            var request = new Request(context.Request.HttpMethod, context.Request.RawUrl!, context.Request.Headers["PRIVATE-TOKEN"], body);
            lock (Requests)
                Requests.Add(request);
            if (RedirectNextTo is { } target)
            {
                RedirectNextTo = null;
                context.Response.StatusCode = RedirectStatus;
                context.Response.Headers["Location"] = new Uri(target, context.Request.RawUrl).ToString();
                context.Response.Close();
                continue;
            }
            var (status, json, nextPage) = Answer(request);
            context.Response.StatusCode = status;
            context.Response.ContentType = "application/json";
            if (nextPage is not null)
                context.Response.Headers["X-Next-Page"] = nextPage;
            var bytes = Encoding.UTF8.GetBytes(json);
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
    }

    (int Status, string Json, string? NextPage) Answer(Request request)
    {
        if (request.Token != _token)
            return (401, """{"message":"401 Unauthorized"}""", null);
        var path = request.RawUrl.Split('?')[0];
        if (!path.StartsWith(_projectPath, StringComparison.Ordinal))
            return (404, """{"message":"404 Project Not Found"}""", null);
        var rest = path[_projectPath.Length..].Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        var input = request.Body.Length > 0 ? JsonNode.Parse(request.Body)!.AsObject() : new JsonObject();

        switch (request.Method, rest.Length)
        {
            case ("GET", 0):
                var page = int.Parse(System.Web.HttpUtility.ParseQueryString(request.RawUrl.Split('?').ElementAtOrDefault(1) ?? "")["page"] ?? "1");
                var onPage = Schedules.Skip(page - 1).Take(1).Select(s => ToJson(s, withVariables: false));
                return (200, new JsonArray([.. onPage]).ToJsonString(), page < Schedules.Count ? (page + 1).ToString() : "");
            case ("POST", 0):
                var created = new Schedule { Id = _nextId++ };
                Apply(created, input);
                Schedules.Add(created);
                return (201, ToJson(created, withVariables: true).ToJsonString(), null);
        }
        var schedule = Schedules.FirstOrDefault(s => s.Id.ToString() == rest[0]);
        if (schedule is null)
            return (404, """{"message":"404 Not found"}""", null);
        switch (request.Method, rest.Length)
        {
            case ("GET", 1):
                return (200, ToJson(schedule, withVariables: true).ToJsonString(), null);
            case ("PUT", 1):
                Apply(schedule, input);
                return (200, ToJson(schedule, withVariables: false).ToJsonString(), null);
            case ("POST", 2) when rest[1] == "variables":
                var key = input["key"]!.GetValue<string>();
                if (schedule.Variables.ContainsKey(key))
                    return (400, """{"message":{"key":["has already been taken"]}}""", null);
                schedule.Variables[key] = input["value"]!.GetValue<string>();
                return (201, input.ToJsonString(), null);
            case ("PUT", 3) when rest[1] == "variables":
                var existing = Uri.UnescapeDataString(rest[2]);
                if (!schedule.Variables.ContainsKey(existing))
                    return (404, """{"message":"404 Variable Not Found"}""", null);
                schedule.Variables[existing] = input["value"]!.GetValue<string>();
                return (200, input.ToJsonString(), null);
            default:
                return (405, """{"message":"405 Method Not Allowed"}""", null);
        }
    }

    static void Apply(Schedule schedule, JsonObject input)
    {
        schedule.Description = input["description"]?.GetValue<string>() ?? schedule.Description;
        schedule.Ref = input["ref"]?.GetValue<string>() ?? schedule.Ref;
        schedule.Cron = input["cron"]?.GetValue<string>() ?? schedule.Cron;
        schedule.CronTimezone = input["cron_timezone"]?.GetValue<string>() ?? schedule.CronTimezone;
    }

    static JsonObject ToJson(Schedule s, bool withVariables)
    {
        var json = new JsonObject
        {
            ["id"] = s.Id, ["description"] = s.Description, ["ref"] = s.Ref, ["cron"] = s.Cron,
            ["cron_timezone"] = s.CronTimezone, ["active"] = true,
        };
        if (withVariables)
            json["variables"] = new JsonArray([.. s.Variables.Select(v => (JsonNode)new JsonObject { ["key"] = v.Key, ["value"] = v.Value, ["variable_type"] = "env_var" })]);
        return json;
    }

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        _loop.Wait(TimeSpan.FromSeconds(5));
    }
}

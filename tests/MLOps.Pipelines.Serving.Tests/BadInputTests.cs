using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;

namespace MLOps.Pipelines.Serving.Tests;

/// <summary>
/// Every kind of bad request gets a 4xx with <c>{"error": ...}</c> naming the field and the rule, is counted in
/// /metrics, and leaves the server answering.
/// </summary>
public sealed class BadInputTests(ChurnModelFixture model) : IClassFixture<ChurnModelFixture>, IAsyncLifetime
{
    private RunningServer server = null!;

    public async Task InitializeAsync() => server = await RunningServer.StartAsync([model.ModelDirectory]);

    public async Task DisposeAsync() => await server.DisposeAsync();

    private string Record(Action<JsonObject> change) => Records.Complete(model.ModelDirectory, change).ToJsonString();

    public static TheoryData<string, string, string[]> PredictCases() => new()
    {
        { "missing field", "remove:tenure", ["'tenure'", "missing"] },
        { "wrong type", "set:tenure=\"twelve\"", ["'tenure'", "type", "integer"] },
        { "fraction for an integer", "set:tenure=1.5", ["'tenure'", "int64"] },
        { "NaN as a string", "set:monthly_charges=\"NaN\"", ["'monthly_charges'", "NaN"] },
        { "null where not nullable", "set:contract=null", ["'contract'", "missing", "not nullable"] },
        { "number for a category", "set:contract=2", ["'contract'", "type", "string"] },
        { "out of range", "set:tenure=500", ["'tenure'", "range", "maximum 120"] },
        { "unknown field", "set:tenur=3", ["unknown field 'tenur'"] },
    };

    [Theory]
    [MemberData(nameof(PredictCases))]
    public async Task A_bad_record_is_refused_naming_the_field_and_the_rule(string _, string edit, string[] expected)
    {
        var body = Record(r =>
        {
            if (edit.StartsWith("remove:", StringComparison.Ordinal)) r.Remove(edit[7..]);
            else
            {
                var (field, value) = (edit[4..edit.IndexOf('=')], edit[(edit.IndexOf('=') + 1)..]);
                r[field] = JsonNode.Parse(value);
            }
        });

        var (status, error) = await server.PostAsync("/predict", body);

        status.ShouldBe(400);
        foreach (var part in expected) error!["error"]!.GetValue<string>().ShouldContain(part);
        await StillServes();
    }

    [Theory]
    [InlineData("{\"tenure\": ", "malformed JSON")]
    [InlineData("{\"tenure\": NaN}", "NaN and Infinity are not JSON")]
    [InlineData("", "malformed JSON")]
    [InlineData("[]", "empty array")]
    [InlineData("42", "one record as a JSON object")]
    [InlineData("[1, 2]", "record 0 is a JSON number")]
    public async Task A_body_that_is_not_records_is_refused(string body, string expected)
    {
        var (status, error) = await server.PostAsync("/predict", body);

        status.ShouldBe(400);
        error!["error"]!.GetValue<string>().ShouldContain(expected);
        await StillServes();
    }

    [Fact]
    public async Task Tensor_errors_name_the_input_and_the_rule()
    {
        var golden = Records.Golden(model.ModelDirectory).Records.Take(3).ToList();
        var path = $"/v2/models/{ChurnModelFixture.Name}/infer";

        async Task Refused(Action<JsonObject> change, params string[] expected)
        {
            var request = Records.Tensors(golden, model.Definition.Schema);
            change(request);
            var (status, error) = await server.PostAsync(path, request.ToJsonString());
            status.ShouldBe(400, request.ToJsonString());
            foreach (var part in expected) error!["error"]!.GetValue<string>().ShouldContain(part);
        }

        JsonObject Input(JsonObject request, string name) => (JsonObject)request["inputs"]!.AsArray().Single(i => i!["name"]!.GetValue<string>() == name)!;

        await Refused(r => Input(r, "tenure")["shape"] = new JsonArray(4, 1), "'tenure'", "shape");
        await Refused(r => Input(r, "tenure")["shape"] = new JsonArray(3, 2), "'tenure'", "[N] or [N, 1]");
        await Refused(r => Input(r, "tenure")["data"] = new JsonArray(1, 2), "'tenure'", "shape");
        await Refused(r => { Input(r, "tenure")["shape"] = new JsonArray(2, 1); Input(r, "tenure")["data"] = new JsonArray(1, 2); }, "batch size 2", "shape");
        await Refused(r => Input(r, "tenure")["datatype"] = "FP32", "'tenure'", "FP32", "INT64", "type");
        await Refused(r => Input(r, "monthly_charges")["data"]![1] = "NaN", "'monthly_charges'", "element 1", "NaN");
        await Refused(r => r["inputs"]!.AsArray().Remove(Input(r, "contract")), "'contract'", "missing");
        await Refused(r => Input(r, "contract")["name"] = "contracts", "'contracts' is not an input");
        await Refused(r => r.Remove("inputs"), "'inputs'", "missing");
        await Refused(r => r["outputs"] = new JsonArray(new JsonObject { ["name"] = "explanation" }), "'explanation'");
        await StillServes();
    }

    [Fact]
    public async Task Too_many_rows_or_too_large_a_body_get_413()
    {
        var record = Records.Complete(model.ModelDirectory);
        var tooMany = new JsonArray(Enumerable.Range(0, 1_001).Select(_ => (JsonNode?)record.DeepClone()).ToArray());
        var (status, error) = await server.PostAsync("/predict", tooMany.ToJsonString());
        status.ShouldBe(413);
        error!["error"]!.GetValue<string>().ShouldContain("limit of 1000");

        var tensors = Records.Tensors(Enumerable.Repeat(record, 1_001).ToList(), model.Definition.Schema);
        (status, _) = await server.PostAsync($"/v2/models/{ChurnModelFixture.Name}/infer", tensors.ToJsonString());
        status.ShouldBe(413);

        var huge = "[" + string.Join(",", Enumerable.Repeat(record.ToJsonString(), 3_000)) + "]"; // > 1 MiB
        // Kestrel may answer 413 and close while the client still sends the body (a broken pipe on the client): retry.
        for (var attempt = 1; ; attempt++)
        {
            try { (status, error) = await server.PostAsync("/predict", huge); break; }
            catch (HttpRequestException) when (attempt < 5) { }
        }
        status.ShouldBe(413);
        error!["error"]!.GetValue<string>().ShouldContain("bytes");

        // A chunked body (no Content-Length) is cut off by Kestrel at the limit while it is read, and still answered 413.
        (await ChunkedStatusAsync(huge)).ShouldBe(413);
        await StillServes();
    }

    [Fact]
    public async Task Unknown_models_and_routes_get_404_and_errors_are_counted_by_route_and_code()
    {
        (await server.PostAsync("/predict/no-such-model", "{}")).Status.ShouldBe(404);
        (await server.PostAsync("/v2/models/no-such-model/infer", "{}")).Status.ShouldBe(404);
        (await server.PostAsync("/predict", "{")).Status.ShouldBe(400);

        var metrics = await server.MetricsAsync();

        metrics.ShouldContain("mlops_http_request_errors_total{route=\"/predict/{name}\",code=\"404\"} 1");
        metrics.ShouldContain("mlops_http_request_errors_total{route=\"/predict\",code=\"400\"} 1");
        metrics.ShouldContain("mlops_http_requests_total{route=\"/v2/models/{name}/infer\",method=\"POST\",code=\"404\"} 1");
    }

    /// <summary>
    /// Sends a chunked POST over a raw socket and reads the status line: HttpClient reports a server that answers
    /// before the whole body is sent as a broken connection instead of returning the response.
    /// </summary>
    private async Task<int> ChunkedStatusAsync(string body)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(server.BaseAddress.Host, server.BaseAddress.Port);
        var stream = tcp.GetStream();
        var head = $"POST /predict HTTP/1.1\r\nHost: {server.BaseAddress.Authority}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
        var bytes = Encoding.UTF8.GetBytes(body);
        try
        {
            for (var offset = 0; offset < bytes.Length; offset += 16 * 1024)
            {
                var count = Math.Min(16 * 1024, bytes.Length - offset);
                await stream.WriteAsync(Encoding.ASCII.GetBytes($"{count:X}\r\n"));
                await stream.WriteAsync(bytes.AsMemory(offset, count));
                await stream.WriteAsync("\r\n"u8.ToArray());
                if (tcp.Available > 0) break; // the server has answered
            }
        }
        catch (IOException)
        {
            // the server closed the connection after answering; the answer is still in the receive buffer
        }

        var buffer = new byte[256];
        var read = await stream.ReadAsync(buffer);
        var statusLine = Encoding.ASCII.GetString(buffer, 0, read).Split("\r\n")[0];
        return int.Parse(statusLine.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
    }

    private async Task StillServes()
    {
        var (status, body) = await server.PostAsync("/predict", Records.Complete(model.ModelDirectory).ToJsonString());
        status.ShouldBe(200, body?.ToJsonString());
    }
}

using System.Globalization;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;

namespace MLOps.Pipelines.Serving.Tests;

/// <summary>
/// Bodies as the network delivers them: a chunked request sent in small pieces with pauses (the server sees several
/// reads of its pipe) is answered as the same body in one piece; and the answers are compact JSON, byte for byte what
/// a fresh default writer gives.
/// </summary>
public sealed class StreamedBodyTests(ChurnModelFixture model) : IClassFixture<ChurnModelFixture>, IAsyncLifetime
{
    private RunningServer server = null!;

    public async Task InitializeAsync() => server = await RunningServer.StartAsync([model.ModelDirectory]);

    public async Task DisposeAsync() => await server.DisposeAsync();

    [Theory]
    [InlineData("/predict")]
    [InlineData("/v2/models/" + ChurnModelFixture.Name + "/infer")]
    public async Task A_body_arriving_in_several_segments_is_read_whole(string path)
    {
        // Over 8 kB: the buffered body spans several of the pipe's memory segments (the copy-once path).
        var golden = Records.Golden(model.ModelDirectory).Records;
        var records = Enumerable.Range(0, 80).Select(i => golden[i % golden.Count]).ToList();
        var body = path == "/predict"
            ? new JsonArray(records.Select(r => (JsonNode?)r.DeepClone()).ToArray()).ToJsonString()
            : Records.Tensors(records, model.Definition.Schema).ToJsonString();
        body.Length.ShouldBeGreaterThan(8 * 1024);
        var (status, whole) = await server.PostAsync(path, body);
        status.ShouldBe(200, whole?.ToJsonString());

        var (chunkedStatus, pieces, chunked) = await PostChunkedAsync(path, Encoding.UTF8.GetBytes(body), piece: 997);

        pieces.ShouldBeGreaterThan(3);
        chunkedStatus.ShouldBe(200, chunked);
        chunked.ShouldBe(whole!.ToJsonString());

        // Malformed JSON split across pieces is still reported with its position in the whole body.
        var (badStatus, _, error) = await PostChunkedAsync(path, Encoding.UTF8.GetBytes(body[..^3] + "x" + body[^2..]), piece: 997);
        badStatus.ShouldBe(400);
        error.ShouldContain("malformed JSON at line 1, byte " + (body.Length - 2).ToString(CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Answers_are_compact_json_as_a_default_writer_writes_it()
    {
        var record = Records.Complete(model.ModelDirectory).ToJsonString();
        var tensors = Records.Tensors([Records.Complete(model.ModelDirectory)], model.Definition.Schema).ToJsonString();
        foreach (var (path, body) in new[] { ("/predict", record), ($"/v2/models/{ChurnModelFixture.Name}/infer", tensors), ("/predict", "{\"tenur\": 1}") })
        {
            using var response = await server.Client.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"));
            var text = await response.Content.ReadAsStringAsync();
            response.Content.Headers.ContentType!.MediaType.ShouldBe("application/json");
            text.ShouldBe(JsonNode.Parse(text)!.ToJsonString());
            text.ShouldStartWith(path == "/predict" && body.Contains("tenur\"", StringComparison.Ordinal)
                ? "{\"error\":\"the record: unknown field \\u0027tenur\\u0027" : path == "/predict" ? "{\"model\":\"customer-churn\",\"model_version\":\"7\",\"predictions\":[{\"label\":"
                : "{\"model_name\":\"customer-churn\",\"model_version\":\"7\",\"id\":\"req-1\",\"outputs\":[{\"name\":\"probability\",\"datatype\":\"FP32\",\"shape\":[1],\"data\":[");
        }
    }

    /// <summary>Sends a chunked POST over a raw socket, <paramref name="piece"/> bytes per chunk with a pause between chunks.</summary>
    private async Task<(int Status, int Pieces, string Body)> PostChunkedAsync(string path, byte[] body, int piece)
    {
        using var tcp = new TcpClient { NoDelay = true };
        await tcp.ConnectAsync(server.BaseAddress.Host, server.BaseAddress.Port);
        var stream = tcp.GetStream();
        var head = $"POST {path} HTTP/1.1\r\nHost: {server.BaseAddress.Authority}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
        var pieces = 0;
        for (var offset = 0; offset < body.Length; offset += piece)
        {
            var count = Math.Min(piece, body.Length - offset);
            await stream.WriteAsync(Encoding.ASCII.GetBytes($"{count:X}\r\n"));
            await stream.WriteAsync(body.AsMemory(offset, count));
            await stream.WriteAsync("\r\n"u8.ToArray());
            await stream.FlushAsync();
            pieces++;
            await Task.Delay(5); // a separate TCP segment, a separate read of the request pipe
        }

        await stream.WriteAsync("0\r\n\r\n"u8.ToArray());
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var response = await reader.ReadToEndAsync();
        var status = int.Parse(response.Split(' ')[1], CultureInfo.InvariantCulture);
        var content = response[(response.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4)..];
        if (response.Contains("Transfer-Encoding: chunked", StringComparison.OrdinalIgnoreCase)) content = Dechunk(content);
        return (status, pieces, content);
    }

    private static string Dechunk(string chunked)
    {
        var text = new StringBuilder();
        var at = 0;
        while (true)
        {
            var line = chunked.IndexOf("\r\n", at, StringComparison.Ordinal);
            var size = int.Parse(chunked[at..line], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            if (size == 0) return text.ToString();
            text.Append(chunked, line + 2, size); // the answers are ASCII: characters are bytes
            at = line + 2 + size + 2;
        }
    }
}

using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using MLOps.Pipelines.ML.Export;

namespace MLOps.Pipelines.Serving.Delivery;

/// <summary>
/// The deployment gate: the golden records (real raw rows) go to a candidate's <c>POST /predict/{name}</c> and every
/// probability must equal the one the ONNX model gave offline at Export within the recorded tolerance (1e-5).
/// Throws with one line naming the record and both values when not.
/// </summary>
public static class GoldenCheck
{
    static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };

    public static Func<Uri, CancellationToken, Task> For(string modelDirectory)
    {
        var golden = GoldenRecords.Read(Path.Combine(modelDirectory, GoldenRecords.FileName));
        var manifest = ServingManifest.Read(modelDirectory);
        return (url, ct) => RunAsync(url, golden, manifest, ct);
    }

    static async Task RunAsync(Uri url, GoldenRecords golden, ServingManifest manifest, CancellationToken cancellationToken)
    {
        var body = new JsonArray(golden.Records.Select(r => (JsonNode)r.DeepClone()).ToArray());
        using var response = await Http.PostAsJsonAsync(new Uri(url, $"/predict/{manifest.Name}"), body, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"golden check: POST /predict/{manifest.Name} answered {(int)response.StatusCode}: {text}");
        using var answer = JsonDocument.Parse(text);
        var predictions = answer.RootElement.GetProperty("predictions");
        if (predictions.GetArrayLength() != golden.Records.Count)
            throw new InvalidOperationException($"golden check: {predictions.GetArrayLength()} predictions for {golden.Records.Count} golden records");
        for (var i = 0; i < golden.Records.Count; i++)
        {
            var prediction = predictions[i];
            var expected = golden.Expected[i];
            var actual = manifest.Classes is { } classes
                ? classes.Select(c => prediction.GetProperty("probabilities").GetProperty(c).GetDouble()).ToArray()
                : [prediction.GetProperty("probability").GetDouble()];
            for (var k = 0; k < expected.Length; k++)
            {
                if (Math.Abs(actual[k] - expected[k]) > golden.Tolerance)
                    throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                        $"golden check: record {i} probability {actual[k]:R} differs from the offline {expected[k]:R} by more than {golden.Tolerance}"));
            }
        }
    }
}

using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using MLOps.Pipelines.ML.Data;
using MLOps.Pipelines.Serving.Input;
using Pipelines;
using RequestReadingBenchmark.Baseline;

// RequestReadingBenchmark [--seconds S] [--rounds R]
// The model server's request reading in one process: JsonDocument + the old element readers (Baseline/, frozen) against
// the Utf8JsonReader readers (src/MLOps.Pipelines.Serving/Input), on the bodies bench/serving.sh sends — one churn
// record as OIP tensors (one [1, 1] tensor per field) and as a /predict object — and on 100-row batches. First checks
// that both give the same rows and the same error message on every body of a list of good and bad ones (exit 1 if not).
string Arg(string name, string fallback) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault() ?? fallback;
var seconds = double.Parse(Arg("--seconds", "1"), CultureInfo.InvariantCulture);
var rounds = int.Parse(Arg("--rounds", "3"), CultureInfo.InvariantCulture);
const int MaxRows = 1_000;

var root = AppContext.BaseDirectory;
while (!File.Exists(Path.Combine(root, "MLOps.Pipelines.sln"))) root = Path.GetDirectoryName(root)!;
var definition = PipelineCatalog.Get("CustomerChurn");
var schema = definition.Schema;
var record = FirstRecord(Path.Combine(root, "data", definition.RawFile), schema);
var fields = schema.Columns.Where(c => c.Name != schema.Label).ToList();

JsonObject Tensors(int rows) => new()
{
    ["inputs"] = new JsonArray(fields.Select(c => (JsonNode?)new JsonObject
    {
        ["name"] = c.Name,
        ["datatype"] = TensorReader.Datatype(c.Type),
        ["shape"] = new JsonArray(rows, 1),
        ["data"] = new JsonArray(Enumerable.Range(0, rows).Select(_ => record[c.Name]?.DeepClone()).ToArray()),
    }).ToArray()),
};
var infer1 = Encoding.UTF8.GetBytes(Tensors(1).ToJsonString());
var predict1 = Encoding.UTF8.GetBytes(record.ToJsonString());
var infer100 = Encoding.UTF8.GetBytes(Tensors(100).ToJsonString());
var predict100 = Encoding.UTF8.GetBytes(new JsonArray(Enumerable.Range(0, 100).Select(_ => (JsonNode?)record.DeepClone()).ToArray()).ToJsonString());

// Same answers first.
var mismatches = 0;
var cases = Cases(Encoding.UTF8.GetString(infer1), Encoding.UTF8.GetString(predict1)).ToList();
foreach (var (name, infer, body) in cases)
{
    var bytes = Encoding.UTF8.GetBytes(body);
    var before = Outcome(() => infer ? Describe(OldInfer(bytes)) : Describe(OldPredict(bytes)));
    var after = Outcome(() => infer ? Describe(TensorReader.Read(bytes, schema, MaxRows)) : Describe(RecordsReader.Read(bytes, schema, MaxRows)));
    if (before == after) continue;
    mismatches++;
    Console.WriteLine($"MISMATCH {name}:\n  before: {before}\n  after:  {after}");
}

var refused = cases.Count(c => Outcome(() => c.Infer ? Describe(TensorReader.Read(Encoding.UTF8.GetBytes(c.Body), schema, MaxRows)) : Describe(RecordsReader.Read(Encoding.UTF8.GetBytes(c.Body), schema, MaxRows))).StartsWith('4'));
Console.WriteLine($"same rows and messages as before on {cases.Count} bodies ({refused} refused with 4xx, {cases.Count - refused} read): {(mismatches == 0 ? "yes" : $"NO ({mismatches} differ)")}");
if (mismatches > 0) return 1;

Console.WriteLine($"bodies: infer 1 row {infer1.Length} B, predict 1 record {predict1.Length} B, infer 100 rows {infer100.Length} B, predict 100 records {predict100.Length} B");
Console.WriteLine($"{"body",-22} {"before_us",10} {"after_us",10} {"speedup",8} {"before_B",10} {"after_B",10}");
foreach (var (name, old, now) in new (string, Action, Action)[]
{
    ("infer, 1 row", () => OldInfer(infer1), () => TensorReader.Read(infer1, schema, MaxRows)),
    ("predict, 1 record", () => OldPredict(predict1), () => RecordsReader.Read(predict1, schema, MaxRows)),
    ("infer, 100 rows", () => OldInfer(infer100), () => TensorReader.Read(infer100, schema, MaxRows)),
    ("predict, 100 records", () => OldPredict(predict100), () => RecordsReader.Read(predict100, schema, MaxRows)),
})
{
    var before = new List<(double Us, double Bytes)>();
    var after = new List<(double Us, double Bytes)>();
    for (var r = 0; r < rounds; r++)
    {
        before.Add(Measure(old, seconds));
        after.Add(Measure(now, seconds));
    }

    var (b, a) = (Median(before.Select(x => x.Us)), Median(after.Select(x => x.Us)));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{name,-22} {b,10:F2} {a,10:F2} {b / a,7:F2}x {Median(before.Select(x => x.Bytes)),10:F0} {Median(after.Select(x => x.Bytes)),10:F0}"));
}

// The floor of any reader built on a document: parsing alone, before any traversal.
foreach (var (name, body) in new[] { ("infer, 1 row", infer1), ("predict, 1 record", predict1) })
{
    var parse = Median(Enumerable.Range(0, rounds).Select(_ => Measure(() => JsonDocument.Parse(body.AsMemory()).Dispose(), seconds).Us));
    var now = Median(Enumerable.Range(0, rounds).Select(_ => Measure(name[0] == 'i' ? () => TensorReader.Read(body, schema, MaxRows) : () => RecordsReader.Read(body, schema, MaxRows), seconds).Us));
    var tokens = Median(Enumerable.Range(0, rounds).Select(_ => Measure(() => ReadThrough(body), seconds).Us));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name,-22} JsonDocument.Parse alone {parse:F2} us; Utf8JsonReader through every token {tokens:F2} us; the whole new read {now:F2} us"));
}

return 0;

TensorReader.Request OldInfer(byte[] body)
{
    using var document = BaselineRequestBody.Parse(body);
    var old = BaselineTensorReader.Read(document.RootElement, schema, MaxRows);
    return new TensorReader.Request(old.Batch, old.Id, old.Outputs);
}

RawBatch OldPredict(byte[] body)
{
    using var document = BaselineRequestBody.Parse(body);
    return BaselineRecordsReader.Read(document.RootElement, schema, MaxRows);
}

static void ReadThrough(byte[] body)
{
    var reader = new Utf8JsonReader(body);
    while (reader.Read())
    {
    }
}

static (double Us, double Bytes) Measure(Action read, double seconds)
{
    for (var i = 0; i < 200; i++) read();
    var allocated = GC.GetAllocatedBytesForCurrentThread();
    var clock = Stopwatch.StartNew();
    long n = 0;
    while (clock.Elapsed.TotalSeconds < seconds)
    {
        for (var i = 0; i < 100; i++) read();
        n += 100;
    }

    return (clock.Elapsed.TotalMicroseconds / n, (GC.GetAllocatedBytesForCurrentThread() - allocated) / (double)n);
}

static double Median(IEnumerable<double> values)
{
    var sorted = values.Order().ToList();
    return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
}

static string Outcome(Func<string> read)
{
    try
    {
        return read();
    }
    catch (InputException e)
    {
        return $"{e.StatusCode}: {e.Message}";
    }
}

static string Describe(object result)
{
    var (batch, extra) = result switch
    {
        TensorReader.Request r => (r.Batch, $"id={r.Id ?? "null"} outputs={(r.Outputs is null ? "null" : string.Join("|", r.Outputs))} "),
        RawBatch b => (b, ""),
        _ => throw new ArgumentException("unknown result", nameof(result)),
    };
    var text = new StringBuilder(extra).Append(CultureInfo.InvariantCulture, $"rows={batch.RowCount}");
    foreach (var (name, values) in batch.Columns.OrderBy(kv => kv.Key, StringComparer.Ordinal))
    {
        text.Append(CultureInfo.InvariantCulture, $" {name}:{values.GetType().Name}=");
        foreach (var v in values) text.Append(CultureInfo.InvariantCulture, $"{(v is null ? "null" : Convert.ToString(v, CultureInfo.InvariantCulture))},");
    }

    return text.ToString();
}

// The churn CSV's first row, typed as the schema declares (the label left out).
static JsonObject FirstRecord(string csv, SchemaContract schema)
{
    var lines = File.ReadLines(csv).Take(2).ToList();
    var header = lines[0].Split(',').Select(h => h.Trim('"')).ToList();
    var cells = lines[1].Split(',').Select(c => c.Trim('"')).ToList();
    var record = new JsonObject();
    for (var i = 0; i < header.Count; i++)
    {
        if (header[i] == schema.Label) continue;
        var column = schema[header[i]];
        record[header[i]] = column.Type switch
        {
            ColumnType.Int64 => JsonValue.Create(long.Parse(cells[i], CultureInfo.InvariantCulture)),
            ColumnType.Double or ColumnType.Single => JsonValue.Create(double.Parse(cells[i], CultureInfo.InvariantCulture)),
            ColumnType.Bool => JsonValue.Create(cells[i] is "1" or "true" or "Yes"),
            _ => JsonValue.Create(cells[i]),
        };
    }

    return record;
}

// Good and bad bodies, each read by both readers: every message of the old readers, order and duplicates, malformed
// JSON after a semantic error.
static IEnumerable<(string Name, bool Infer, string Body)> Cases(string infer, string predict)
{
    JsonObject Infer() => JsonNode.Parse(infer)!.AsObject();
    JsonObject Input(JsonObject request, int i) => request["inputs"]![i]!.AsObject();
    string Edit(Action<JsonObject> change)
    {
        var r = Infer();
        change(r);
        return r.ToJsonString();
    }

    JsonObject Record() => JsonNode.Parse(predict)!.AsObject();
    string Rec(Action<JsonObject> change)
    {
        var r = Record();
        change(r);
        return r.ToJsonString();
    }

    var first = Record().First().Key;
    var number = Record().First(kv => kv.Value!.GetValueKind() == JsonValueKind.Number).Key;
    var text = Record().First(kv => kv.Value!.GetValueKind() == JsonValueKind.String).Key;
    yield return ("infer ok", true, infer);
    yield return ("infer ok, id and outputs", true, Edit(r => { r["id"] = "x"; r["outputs"] = new JsonArray(new JsonObject { ["name"] = "label" }); r["parameters"] = new JsonObject { ["a"] = 1 }; }));
    yield return ("infer ok, indented", true, JsonNode.Parse(infer)!.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    yield return ("infer data first", true, Edit(r => { foreach (var i in r["inputs"]!.AsArray()) { var o = i!.AsObject(); var d = o["data"]!.DeepClone(); var n = o["name"]!.DeepClone(); o.Remove("data"); o.Remove("name"); o["parameters"] = new JsonObject(); var copy = new JsonObject { ["data"] = d }; foreach (var kv in o.ToList()) { o.Remove(kv.Key); copy[kv.Key] = kv.Value; } copy["name"] = n; foreach (var kv in copy.ToList()) { copy.Remove(kv.Key); o[kv.Key] = kv.Value; } } }));
    yield return ("infer nested data", true, Edit(r => Input(r, 0)["data"] = new JsonArray(new JsonArray(Input(r, 0)["data"]![0]!.DeepClone()))));
    yield return ("infer shape [1]", true, Edit(r => Input(r, 0)["shape"] = new JsonArray(1)));
    yield return ("infer scalar data", true, Edit(r => Input(r, 0)["data"] = Input(r, 0)["data"]![0]!.DeepClone()));
    yield return ("infer escaped key", true, infer.Replace("\"inputs\"", "\"\\u0069nputs\"", StringComparison.Ordinal).Replace($"\"{first}\"", $"\"\\u{(int)first[0]:x4}{first[1..]}\"", StringComparison.Ordinal));
    yield return ("infer duplicate inputs (last wins)", true, "{\"inputs\": 3, " + infer[1..]);
    yield return ("infer duplicate inputs (last wins, bad first)", true, "{\"inputs\": [{\"name\": 1}], " + infer[1..]);
    yield return ("infer inputs then not array", true, infer[..^1] + ", \"inputs\": {}}");
    yield return ("infer duplicate data (last wins)", true, infer.Replace("\"data\":", "\"data\":[\"bad\",\"x\"],\"data\":", StringComparison.Ordinal));
    yield return ("infer duplicate id", true, Edit(r => r["id"] = 5).Replace("\"id\":5", "\"id\":\"a\",\"id\":5", StringComparison.Ordinal));
    yield return ("not an object", true, "[1]");
    yield return ("no inputs", true, "{\"id\":\"x\"}");
    yield return ("inputs not array", true, "{\"inputs\":{}}");
    yield return ("empty inputs", true, "{\"inputs\":[]}");
    yield return ("input not object", true, Edit(r => r["inputs"]!.AsArray().Insert(1, 7)));
    yield return ("input without name", true, Edit(r => Input(r, 1).Remove("name")));
    yield return ("input name a number", true, Edit(r => Input(r, 1)["name"] = 3));
    yield return ("unknown input", true, Edit(r => Input(r, 1)["name"] = "nope"));
    yield return ("label as input", true, Edit(r => Input(r, 1)["name"] = "churn"));
    yield return ("input twice", true, Edit(r => Input(r, 1)["name"] = Input(r, 0)["name"]!.DeepClone()));
    yield return ("no datatype", true, Edit(r => Input(r, 2).Remove("datatype")));
    yield return ("wrong datatype", true, Edit(r => Input(r, 2)["datatype"] = "FP16"));
    yield return ("no shape", true, Edit(r => Input(r, 2).Remove("shape")));
    yield return ("shape not array", true, Edit(r => Input(r, 2)["shape"] = 1));
    yield return ("shape holds a string", true, Edit(r => Input(r, 2)["shape"] = new JsonArray(1, "a")));
    yield return ("shape holds an array", true, Edit(r => Input(r, 2)["shape"] = new JsonArray(new JsonArray(1))));
    yield return ("shape negative", true, Edit(r => Input(r, 2)["shape"] = new JsonArray(-1)));
    yield return ("shape [1, 2]", true, Edit(r => Input(r, 2)["shape"] = new JsonArray(1, 2)));
    yield return ("shape []", true, Edit(r => Input(r, 2)["shape"] = new JsonArray()));
    yield return ("shape [1,1,1]", true, Edit(r => Input(r, 2)["shape"] = new JsonArray(1, 1, 1)));
    yield return ("shape [2,1] data 1", true, Edit(r => Input(r, 2)["shape"] = new JsonArray(2, 1)));
    yield return ("shape [5000]", true, Edit(r => Input(r, 2)["shape"] = new JsonArray(5000)));
    yield return ("shape [0]", true, Edit(r => { foreach (var i in r["inputs"]!.AsArray()) { i!["shape"] = new JsonArray(0); i["data"] = new JsonArray(); } }));
    yield return ("no data", true, Edit(r => Input(r, 2).Remove("data")));
    yield return ("batch sizes differ", true, Edit(r => { Input(r, 2)["shape"] = new JsonArray(2, 1); Input(r, 2)["data"] = new JsonArray(Input(r, 2)["data"]![0]!.DeepClone(), Input(r, 2)["data"]![0]!.DeepClone()); }));
    yield return ("missing input", true, Edit(r => r["inputs"]!.AsArray().RemoveAt(3)));
    yield return ("data holds an object", true, Edit(r => Input(r, 0)["data"] = new JsonArray(new JsonObject { ["a"] = 1 })));
    yield return ("data holds an array of objects", true, Edit(r => Input(r, 0)["data"] = new JsonObject { ["a"] = new JsonArray(1, 2) }));
    yield return ("bad output", true, Edit(r => r["outputs"] = new JsonArray(new JsonObject { ["nam"] = "label" })));
    yield return ("bad output and bad input", true, Edit(r => { r["outputs"] = new JsonArray(1); Input(r, 1)["name"] = "nope"; }));
    yield return ("semantic error then malformed", true, Edit(r => Input(r, 0)["name"] = "nope")[..^2]);
    yield return ("semantic error then trailing garbage", true, Edit(r => Input(r, 0)["name"] = "nope") + " x");
    yield return ("malformed", true, infer[..^5]);
    yield return ("NaN literal", true, infer.Replace("[1,1],\"data\":[", "[1,1],\"data\":[NaN,", StringComparison.Ordinal));
    yield return ("empty", true, "");
    yield return ("whitespace", true, " \r\n\t ");
    yield return ("comment", true, "/* x */" + infer);
    yield return ("trailing comma", true, infer[..^2] + ",]}");
    foreach (var (k, v) in Record().Select(kv => (kv.Key, kv.Value)).ToList())
    {
        foreach (var bad in new JsonNode?[] { null, "twelve", 1.5, 500, -3, true, new JsonArray(1), new JsonObject(), "NaN", 1e308, "2001-01-01T00:00:00" })
        {
            yield return ($"infer {k}={bad?.ToJsonString() ?? "null"}", true, Edit(r => { foreach (var i in r["inputs"]!.AsArray()) if (i!["name"]!.GetValue<string>() == k) i["data"] = new JsonArray(bad?.DeepClone()); }));
            yield return ($"predict {k}={bad?.ToJsonString() ?? "null"}", false, Rec(r => r[k] = bad?.DeepClone()));
        }

        yield return ($"predict without {k}", false, Rec(r => r.Remove(k)));
        _ = v;
    }

    yield return ("predict ok", false, predict);
    yield return ("predict batch", false, "[" + predict + "," + predict + "]");
    yield return ("predict with label", false, Rec(r => r["churn"] = "Yes"));
    yield return ("predict unknown field", false, Rec(r => r["tenur"] = 3));
    yield return ("predict escaped field", false, predict.Replace($"\"{number}\"", $"\"\\u{(int)number[0]:x4}{number[1..]}\"", StringComparison.Ordinal));
    yield return ("predict duplicate field", false, "{" + $"\"{number}\": \"bad\", " + predict[1..]);
    yield return ("predict unknown category", false, Rec(r => r[text] = "never seen"));
    yield return ("predict escaped category", false, Rec(r => r[text] = r[text]!.GetValue<string>()).Replace($"\"{text}\":\"", $"\"{text}\":\"\\u0020", StringComparison.Ordinal));
    yield return ("predict empty array", false, "[]");
    yield return ("predict number", false, "42");
    yield return ("predict string", false, "\"x\"");
    yield return ("predict true", false, "true");
    yield return ("predict null", false, "null");
    yield return ("predict [1, 2]", false, "[1, 2]");
    yield return ("predict [[]]", false, "[[]]");
    yield return ("predict second record bad", false, "[" + predict + "," + Rec(r => r[number] = "x") + "]");
    yield return ("predict too many", false, "[" + string.Join(",", Enumerable.Repeat(predict, 1001)) + "]");
    yield return ("predict unknown field then malformed", false, Rec(r => r["tenur"] = 3)[..^1]);
    yield return ("predict malformed", false, "{\"tenure\": ");
    yield return ("predict NaN", false, "{\"tenure\": NaN}");
    yield return ("predict -Infinity", false, "{\"tenure\": -Infinity}");
    yield return ("predict deep", false, new string('[', 70) + new string(']', 70));
    yield return ("predict two values", false, predict + predict);
}

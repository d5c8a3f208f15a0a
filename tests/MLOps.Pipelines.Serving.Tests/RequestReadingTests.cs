using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using MLOps.Pipelines.ML.Data;
using MLOps.Pipelines.Serving.Input;
using Pipelines;

namespace MLOps.Pipelines.Serving.Tests;

/// <summary>
/// The request readers on the bytes a client may send: property order, nesting, whitespace, escaped names, repeated
/// keys, and which error wins (malformed JSON anywhere before any error about the content), read by the same code the
/// server runs.
/// </summary>
public sealed class RequestReadingTests
{
    private static readonly SchemaContract Schema = PipelineCatalog.Get("CustomerChurn").Schema;
    private static readonly JsonObject Record = FirstRecord();

    private static JsonObject Tensors(JsonObject record) => new()
    {
        ["inputs"] = new JsonArray(record.Select(kv => (JsonNode?)new JsonObject
        {
            ["name"] = kv.Key,
            ["datatype"] = TensorReader.Datatype(Schema[kv.Key].Type),
            ["shape"] = new JsonArray(1, 1),
            ["data"] = new JsonArray(kv.Value?.DeepClone()),
        }).ToArray()),
    };

    private static TensorReader.Request Infer(string body) => TensorReader.Read(Encoding.UTF8.GetBytes(body), Schema, 1_000);

    private static RawBatch Predict(string body) => RecordsReader.Read(Encoding.UTF8.GetBytes(body), Schema, 1_000);

    private static string Refused(Func<object> read) => Should.Throw<InputException>(read).Message;

    /// <summary>Every column's values as text, for comparing two batches.</summary>
    private static string Rows(RawBatch batch) => string.Join(" ", batch.Columns.OrderBy(kv => kv.Key, StringComparer.Ordinal)
        .Select(kv => kv.Key + "=" + string.Join(",", kv.Value.Cast<object?>().Select(v => Convert.ToString(v, CultureInfo.InvariantCulture) ?? "null"))));

    [Fact]
    public void Tensor_keys_in_any_order_nested_data_and_whitespace_read_the_same_rows()
    {
        var expected = Rows(Predict(Record.ToJsonString()));
        expected.ShouldContain("tenure=" + Record["tenure"]);

        var reordered = new JsonObject
        {
            ["parameters"] = new JsonObject { ["binary_data_output"] = false },
            ["inputs"] = new JsonArray(Record.Select(kv => (JsonNode?)new JsonObject
            {
                ["data"] = new JsonArray(new JsonArray(kv.Value?.DeepClone())), // nested [[v]]
                ["parameters"] = new JsonObject { ["x"] = new JsonArray(1, 2) },
                ["shape"] = new JsonArray(1),
                ["datatype"] = TensorReader.Datatype(Schema[kv.Key].Type),
                ["name"] = kv.Key,
            }).ToArray()),
            ["id"] = "r-1",
            ["outputs"] = new JsonArray(new JsonObject { ["parameters"] = new JsonObject(), ["name"] = "label" }),
        };
        var indented = reordered.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }).Replace("\n", "\r\n\t ", StringComparison.Ordinal);

        var request = Infer(indented);

        Rows(request.Batch).ShouldBe(expected);
        request.Id.ShouldBe("r-1");
        request.Outputs.ShouldBe(["label"]);
        Rows(Infer(Tensors(Record).ToJsonString()).Batch).ShouldBe(expected);
    }

    [Fact]
    public void Escaped_names_are_matched_unescaped()
    {
        var tensors = Tensors(Record).ToJsonString()
            .Replace("\"inputs\"", "\"\\u0069nputs\"", StringComparison.Ordinal)
            .Replace("\"tenure\"", "\"ten\\u0075re\"", StringComparison.Ordinal)
            .Replace("\"data\"", "\"d\\u0061ta\"", StringComparison.Ordinal);
        tensors.ShouldContain("ten\\u0075re");
        var record = Record.ToJsonString().Replace("\"tenure\"", "\"ten\\u0075re\"", StringComparison.Ordinal);
        var expected = Rows(Predict(Record.ToJsonString()));

        Rows(Infer(tensors).Batch).ShouldBe(expected);
        Rows(Predict(record)).ShouldBe(expected);
        Refused(() => Predict(record.Replace("ten\\u0075re", "ten\\u0076re", StringComparison.Ordinal))).ShouldContain("unknown field 'tenvre'");
    }

    [Fact]
    public void A_key_given_twice_counts_once_the_last_as_a_document_lookup_had_it()
    {
        var good = Tensors(Record).ToJsonString();
        // A refused first 'inputs' is replaced by a good one; a good first one by a refused one.
        Rows(Infer("{\"inputs\": [{\"name\": 1}], " + good[1..]).Batch).ShouldBe(Rows(Infer(good).Batch));
        Refused(() => Infer(good[..^1] + ", \"inputs\": {}}")).ShouldContain("no 'inputs' array");
        // A tensor's repeated 'data' and 'shape': the last.
        var twice = good.Replace("\"data\":", "\"data\":[\"bad\", 1],\"data\":", StringComparison.Ordinal)
            .Replace("\"shape\":", "\"shape\":[2],\"shape\":", StringComparison.Ordinal);
        Rows(Infer(twice).Batch).ShouldBe(Rows(Infer(good).Batch));
        // A record's repeated field: every value is checked (as a document's enumeration did), the last is kept; and a
        // repeated field does not hide a missing one.
        var record = Record.DeepClone().AsObject();
        Rows(Predict("{\"tenure\": 99, " + record.ToJsonString()[1..])).ShouldBe(Rows(Predict(record.ToJsonString())));
        Refused(() => Predict("{\"tenure\": \"bad\", " + record.ToJsonString()[1..])).ShouldContain("'tenure' is a string");
        record.Remove("contract");
        Refused(() => Predict("{\"tenure\": 3, " + record.ToJsonString()[1..])).ShouldContain("field 'contract' is missing");
    }

    [Fact]
    public void Malformed_json_anywhere_wins_over_an_earlier_error_about_the_content()
    {
        var unknownField = new JsonObject { ["tenur"] = 3, ["tenure"] = 1 }.ToJsonString();
        Refused(() => Predict(unknownField)).ShouldContain("unknown field 'tenur'");
        Refused(() => Predict(unknownField[..^1] + ", \"x\": }")).ShouldStartWith("malformed JSON at line 1, byte ");
        Refused(() => Predict(unknownField + " x")).ShouldStartWith("malformed JSON at line 1");
        Refused(() => Predict("[" + unknownField + ",\n {\"tenure\": NaN}]")).ShouldBe(
            "malformed JSON at line 2, byte 13: 'N' is an invalid start of a value. (NaN and Infinity are not JSON: send null for a missing value)");

        var wrongType = Tensors(Record);
        wrongType["inputs"]![0]!["datatype"] = "FP16";
        Refused(() => Infer(wrongType.ToJsonString())).ShouldContain("datatype FP16 does not match");
        Refused(() => Infer(wrongType.ToJsonString()[..^2] + ",]}")).ShouldStartWith("malformed JSON");
        Refused(() => Infer(wrongType.ToJsonString()[..^1])).ShouldStartWith("malformed JSON");
        Refused(() => Infer("")).ShouldStartWith("malformed JSON at line 1, byte 1");
        Refused(() => Infer(" \n ")).ShouldStartWith("malformed JSON at line 2");
    }

    [Fact]
    public void Errors_keep_their_order_when_keys_come_in_another()
    {
        // Old order: the inputs' errors before a bad 'outputs', whichever comes first in the body.
        var request = Tensors(Record);
        request["inputs"]![1]!["name"] = "nope";
        var body = "{\"outputs\": [1], " + request.ToJsonString()[1..];
        Refused(() => Infer(body)).ShouldContain("'nope' is not an input");
        // Within a tensor: the shape is checked before the data, whichever comes first.
        var tensor = "{\"inputs\": [{\"data\": [\"x\"], \"shape\": [1, 2], \"datatype\": \"INT64\", \"name\": \"tenure\"}]}";
        Refused(() => Infer(tensor)).ShouldContain("shape [1, 2] is not [N] or [N, 1]");
        Refused(() => Infer(tensor.Replace("[1, 2]", "[1]", StringComparison.Ordinal))).ShouldBe(
            "input 'tenure' element 0: field 'tenure' is a string \"x\", expected an integer (rule: type)");
    }

    private static JsonObject FirstRecord()
    {
        var lines = File.ReadLines(RepositoryFiles.Data("telco-churn.csv")).Take(2).ToList();
        var header = lines[0].Split(',').Select(h => h.Trim('"')).ToList();
        var cells = lines[1].Split(',').Select(c => c.Trim('"')).ToList();
        var record = new JsonObject();
        for (var i = 0; i < header.Count; i++)
        {
            if (header[i] == Schema.Label) continue;
            record[header[i]] = Schema[header[i]].Type switch
            {
                ColumnType.Int64 => JsonValue.Create(long.Parse(cells[i], CultureInfo.InvariantCulture)),
                ColumnType.Double => JsonValue.Create(double.Parse(cells[i], CultureInfo.InvariantCulture)),
                _ => JsonValue.Create(cells[i]),
            };
        }

        return record;
    }
}

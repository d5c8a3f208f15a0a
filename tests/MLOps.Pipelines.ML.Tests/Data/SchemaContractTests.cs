using DataSchemas;
using MLOps.Pipelines.ML.Data;
using MLOps.Pipelines.ML.Tests.TestPipelines;

namespace MLOps.Pipelines.ML.Tests.Data;

public sealed class SchemaContractTests
{
    private static Dictionary<string, object?> ScoringRow(string origin) => new()
    {
        ["date"] = new DateTime(2001, 5, 3, 14, 5, 0),
        ["distance"] = 337L,
        ["origin"] = origin,
        ["destination"] = "SFO",
    };

    [Fact]
    public void A_known_scoring_row_without_label_is_valid()
    {
        FlightDelaysPipeline.Definition.Schema.Validate(ScoringRow("LAX")).ShouldBeEmpty();
    }

    [Fact]
    public void An_unknown_category_at_scoring_time_is_detected()
    {
        var violations = FlightDelaysPipeline.Definition.Schema.Validate(ScoringRow("XXX"));

        violations.ShouldHaveSingleItem().ShouldBe(new ContractViolation("origin", ContractRule.Category, "XXX",
            $"'XXX' is not one of the {Airports.Codes.Count} declared categories of 'origin'"));
    }

    [Fact]
    public void Text_values_are_parsed_and_checked_as_a_csv_cell_would_be()
    {
        var row = ScoringRow("LAX");
        row["distance"] = "far";
        row["date"] = "NA";
        row["delay"] = "99999";
        row.Remove("destination");

        var rules = FlightDelaysPipeline.Definition.Schema.Validate(row).Select(v => (v.Column, v.Rule)).ToList();

        rules.ShouldBe([("date", ContractRule.Null), ("delay", ContractRule.Range), ("distance", ContractRule.Type), ("destination", ContractRule.MissingColumn)]);
    }
}

using System.Globalization;
using System.Text;
using System.Text.Json;

namespace MLOps.Pipelines.ML.Evaluation;

/// <summary>One numeric metric in two metrics files; null where a file lacks it.</summary>
public sealed record MetricChange(string Metric, double? Old, double? New)
{
    public double? Change => Old is not null && New is not null ? New - Old : null;
}

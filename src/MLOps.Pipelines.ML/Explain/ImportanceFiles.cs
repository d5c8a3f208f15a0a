using System.Globalization;
using System.Text;
using ScottPlot;

namespace MLOps.Pipelines.ML.Explain;

public sealed record ImportanceFiles(string Json, string Markdown, string Csv, string Png);

using MathNet.Numerics;

namespace MLOps.Pipelines.ML.Monitoring;

/// <summary>A test's statistic and its p-value (the probability of a statistic at least this large without drift).</summary>
public sealed record TestResult(double Statistic, double PValue, int DegreesOfFreedom = 0);

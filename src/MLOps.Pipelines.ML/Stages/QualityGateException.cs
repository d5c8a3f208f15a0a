using MLOps.Pipelines.ML.Evaluation;

namespace MLOps.Pipelines.ML.Stages;

/// <summary>The quality gate failed: the model must not go further. The message says why, with the metrics, and which parameter sets the bar.</summary>
public sealed class QualityGateException(GateResult gate) : Exception(gate.Message)
{
    public GateResult Gate { get; } = gate;
}

using MLOps.Pipelines.Graph;

namespace MLOps.Pipelines.Execution;

/// <summary>Where the scheduler says what happens: console lines for people and CI logs, a list for tests.</summary>
internal interface IBuildReporter
{
    void TargetStarted(TargetNode node);
    void TargetFinished(TargetResult result);
}

using MLOps.Pipelines.Internal.Graph;

namespace MLOps.Pipelines.Internal.Execution;

/// <summary>Where the scheduler says what happens: console lines for people and CI logs, a list for tests.</summary>
internal interface IBuildReporter
{
    void TargetStarted(TargetNode node);
    void TargetFinished(TargetResult result);
}

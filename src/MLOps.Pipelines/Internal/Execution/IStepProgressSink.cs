namespace MLOps.Pipelines.Internal.Execution;

/// <summary>Where <see cref="StepProgress"/> reports go: the terminal's status line, or plain lines in CI logs.</summary>
internal interface IStepProgressSink
{
    void Report(string target, StepProgressUpdate update);
}

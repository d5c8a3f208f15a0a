using System.Globalization;
using MLOps.Pipelines.ML.Catalog;
using MLOps.Pipelines.ML.Stages;

namespace MLOps.Pipelines.ML.Components;

/// <summary>
/// The <c>Monitor</c> stage: each model scored on the later monthly batches of a time split, AUC per batch recorded as
/// the drift signal (kept thin: the drift monitor replaces its body). Runs after Deploy when the build
/// has it (the delivery component orders itself before Monitor: this library knows nothing of deployment).
/// </summary>
public interface IMonitor : ITrain
{
    Target Monitor => _ => _
        .Description("Score the later monthly batches (time split) and record AUC per batch: the drift signal")
        .ForEach(Pipelines, p => p.Name, (_, p) => _
            .DependsOn(Train)
            .OnlyWhenStatic(() => Split == SplitKind.Time, "no time split (--split Time): the later monthly batches exist only then")
            .Inputs(ArtifactsOf(p).Model, ArtifactsOf(p).Prepared)
            .Outputs(ArtifactsOf(p).Monitoring)
            .Executes(() =>
            {
                foreach (var batch in MonitorStage.Run(ArtifactsOf(p).Model, ArtifactsOf(p).Prepared, p.Spec, ArtifactsOf(p).Monitoring))
                {
                    TargetMetrics.Record("auc_" + batch.Batch.Replace('-', '_'), batch.Auc);
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"{batch.Batch}: AUC {batch.Auc:0.0000}, log-loss {batch.LogLoss:0.0000}, positive rate {batch.PositiveRate:0.000} on {batch.Rows:N0} rows"));
                }
            }));
}

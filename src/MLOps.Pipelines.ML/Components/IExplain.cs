using System.Globalization;
using MLOps.Pipelines.ML.Stages;
using MLOps.Pipelines.ML.Tasks;

namespace MLOps.Pipelines.ML.Components;

/// <summary>The <c>Explain</c> stage: permutation feature importance on each pipeline's test rows.</summary>
public interface IExplain : ITrain
{
    Target Explain => _ => _
        .Description("Permutation feature importance on the test rows (the task's metric), as a table and a plot")
        .ForEach(Pipelines, p => p.Name, (_, p) => _
            .DependsOn(Train)
            .Inputs(ArtifactsOf(p).Model, ArtifactsOf(p).TestData)
            .Outputs(ArtifactsOf(p).Explanation)
            .Executes(() =>
            {
                var result = ExplainStage.Run(ArtifactsOf(p).Model, ArtifactsOf(p).Prepared, p.Spec, ArtifactsOf(p).Explanation, Seed);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{ModelTask.Display(p.Task.PrimaryMetric)} drop on {result.Rows:N0} test rows: ") +
                    string.Join(", ", result.Importances.Take(5).Select(i => string.Create(CultureInfo.InvariantCulture, $"{i.Feature} {i.Drop:0.0000}"))));
            }));
}

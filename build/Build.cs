using MLOps.Pipelines;
using MLOps.Pipelines.ML.Catalog;
using MLOps.Pipelines.ML.Components;
using MLOps.Pipelines.Serving.Components;
using Pipelines;

/// <summary>
/// This repository's build: the ML library's stage components, and the Serving library's delivery components (Package
/// an image of the champion, Deploy it blue/green, Rollback), composed over this repository's pipelines. Every stage
/// is a family with one instance per pipeline (<c>./build.sh Train</c> trains all, <c>./build.sh Train@Penguins</c>
/// one); the stages' targets, paths and parameters live beside their code in src/MLOps.Pipelines.ML/Components and
/// src/MLOps.Pipelines.Serving/Components. The CI attributes and CI-only targets are in Build.CI.cs.
/// </summary>
sealed partial class Build : PipelineBuild, IReport, IPackage, IDeploy, IMonitor, IRetrain, IModelCard, IRollback, IHazModelStore
{
    // Report is the end of the training chain: a newcomer sees every pipeline ingested, trained, evaluated, registered
    // and reported (artifacts/<model>/report/report.html); a second run is a no-op.
    public static int Main() => Execute<Build>(x => ((IReport)x).Report);

    public IReadOnlyList<PipelineDefinition> Pipelines => PipelineCatalog.All;
}

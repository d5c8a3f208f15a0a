using MLOps.Pipelines.Graph;
using MLOps.Pipelines.Parameters;

namespace MLOps.Pipelines.Building;

/// <summary>What the host learned about a build before running it: its targets and resolved parameters.</summary>
internal sealed record BuildDescription(TargetGraph Graph, IReadOnlyList<ResolvedParameter> Parameters);

using MLOps.Pipelines.Internal.Graph;
using MLOps.Pipelines.Internal.Parameters;

namespace MLOps.Pipelines.Internal.Building;

/// <summary>What the host learned about a build before running it: its targets and resolved parameters.</summary>
internal sealed record BuildDescription(TargetGraph Graph, IReadOnlyList<ResolvedParameter> Parameters);

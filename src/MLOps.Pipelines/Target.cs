namespace MLOps.Pipelines;

/// <summary>
/// A build target, declared as a property in Nuke's shape:
/// <c>Target Train => _ => _.DependsOn(Prepare).Executes(() => ...);</c>
/// </summary>
public delegate ITargetDefinition Target(ITargetDefinition definition);

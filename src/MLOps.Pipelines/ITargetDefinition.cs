using System.Runtime.CompilerServices;

namespace MLOps.Pipelines;

/// <summary>The fluent vocabulary a target is declared with (Nuke's, plus what a target reads and writes).</summary>
public interface ITargetDefinition
{
    ITargetDefinition Description(string description);

    /// <summary>These targets run first, and are planned whenever this one is.</summary>
    ITargetDefinition DependsOn(params Target[] targets);
    /// <summary>Depends on targets of a build component, e.g. <c>DependsOn&lt;ITrain&gt;(x => x.Train)</c>.</summary>
    ITargetDefinition DependsOn<TComponent>(params Func<TComponent, Target>[] targets);
    /// <summary>The given targets depend on this one.</summary>
    ITargetDefinition DependentFor(params Target[] targets);
    ITargetDefinition DependentFor<TComponent>(params Func<TComponent, Target>[] targets);

    /// <summary>Orders only: when both are planned, this one runs after the given targets.</summary>
    ITargetDefinition After(params Target[] targets);
    ITargetDefinition After<TComponent>(params Func<TComponent, Target>[] targets);
    ITargetDefinition Before(params Target[] targets);
    ITargetDefinition Before<TComponent>(params Func<TComponent, Target>[] targets);

    /// <summary>The given targets are planned whenever this one is, and run after it.</summary>
    ITargetDefinition Triggers(params Target[] targets);
    ITargetDefinition Triggers<TComponent>(params Func<TComponent, Target>[] targets);
    ITargetDefinition TriggeredBy(params Target[] targets);
    ITargetDefinition TriggeredBy<TComponent>(params Func<TComponent, Target>[] targets);

    /// <summary>Evaluated before anything runs; when false the target (and what only it needed) is skipped, the condition's text being the reason.</summary>
    ITargetDefinition OnlyWhenStatic(Func<bool> condition, [CallerArgumentExpression(nameof(condition))] string? conditionText = null);
    /// <summary>Evaluated just before the target would run; when false it is skipped, the condition's text being the reason.</summary>
    ITargetDefinition OnlyWhenDynamic(Func<bool> condition, [CallerArgumentExpression(nameof(condition))] string? conditionText = null);

    // The optional parameters are [CallerArgumentExpression]s, filled by the compiler, never by callers.
#pragma warning disable RS0026, RS0027
    /// <summary>Checked before any target runs; a false requirement stops the build with exit code 2.</summary>
    ITargetDefinition Requires(Func<bool> requirement, [CallerArgumentExpression(nameof(requirement))] string? requirementText = null);
    /// <summary>Checked before any target runs: the value (usually a parameter) must not be null or empty.</summary>
    ITargetDefinition Requires<T>(Func<T?> value, [CallerArgumentExpression(nameof(value))] string? valueText = null);
#pragma warning restore RS0026, RS0027

    /// <summary>When this target fails, targets that do not depend on it still run.</summary>
    ITargetDefinition ProceedAfterFailure();
    /// <summary>This target runs even when an earlier target failed (clean-up, reporting).</summary>
    ITargetDefinition AssuredAfterFailure();
    /// <summary>Hidden from <c>--help</c>.</summary>
    ITargetDefinition Unlisted();

    ITargetDefinition Executes(Action action);
    ITargetDefinition Executes(Func<Task> action);
    ITargetDefinition Executes(Func<CancellationToken, Task> action);

    /// <summary>Files, directories or globs (a path containing <c>*</c> or <c>?</c>) this target reads; their content is part of its fingerprint.</summary>
    ITargetDefinition Inputs(params AbsolutePath[] paths);
    /// <summary>Files or directories this target writes; cached by content and restored when the fingerprint was seen before.</summary>
    ITargetDefinition Outputs(params AbsolutePath[] paths);
    /// <summary>Parameters whose values belong to the fingerprint although the code does not visibly read them.</summary>
    ITargetDefinition Reads(params string[] parameterNames);
    /// <summary>
    /// For a target whose effect lives outside its declared outputs (a registry, a deployment): the check that the
    /// effect is present. It is consulted before the target is taken as up to date, and again after its outputs are
    /// restored from the cache; when it does not hold, the target runs (so its body must be idempotent).
    /// <paramref name="what"/> says what is checked, e.g. "the registry holds the receipt's version".
    /// </summary>
    ITargetDefinition Verifies(Func<bool> check, string what);
    /// <summary>Covers what the fingerprint cannot see (an external tool's behaviour): change it to force a re-run.</summary>
    ITargetDefinition Version(string version);

    /// <summary>
    /// Makes this declaration a target family: one target per key, named <c>Train@FlightDelays</c> (DVC's
    /// <c>train@key</c>). <paramref name="instance"/> declares one instance, with its key at hand for paths and bodies:
    /// <c>.ForEach(Pipelines, p => p.Name, (_, p) => _.Outputs(ArtifactsDirectory / p.Folder).Executes(() => ...))</c>.
    /// What is declared outside <paramref name="instance"/> holds for every instance. The family name invokes (and
    /// <c>--skip</c>s, <c>--force</c>s) every instance; a family depending on a family with the same key depends per key,
    /// any other target depending on a family depends on all its instances. Each instance has its own lock entry and CI job.
    /// </summary>
    ITargetDefinition ForEach<TKey>(IEnumerable<TKey> keys, Func<TKey, string> name, Func<ITargetDefinition, TKey, ITargetDefinition> instance);
}

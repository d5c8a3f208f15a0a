namespace MLOps.Pipelines.Internal.Targets;

/// <summary>A reference to another target: a delegate from this build, or one picked from a component interface.</summary>
internal readonly record struct TargetReference(Func<object, Target> Resolve)
{
    public static TargetReference Of(Target target) => new(_ => target);
    public static TargetReference Of<TComponent>(Func<TComponent, Target> pick) =>
        new(build => build is TComponent component
            ? pick(component)
            : throw new BuildConfigurationException($"The build does not implement {typeof(TComponent).Name}, so its targets cannot be referenced."));
}

/// <summary>A condition with the source text it was written as (the text is the skip or failure reason).</summary>
internal sealed record Condition(Func<bool> Evaluate, string Text);

/// <summary>
/// What one target declaration collected; filled in by invoking the target delegate once. A family's delegate is
/// invoked once to learn its keys (<see cref="InstanceKeys"/>), then once per instance with <paramref name="instanceKey"/>
/// set, so that <c>ForEach</c> applies that key's declaration.
/// </summary>
internal sealed partial class TargetDefinition(string name, string? instanceKey = null) : ITargetDefinition
{
    bool _forEachCalled;

    /// <summary>The target's name: <c>Train</c>, or <c>Train@FlightDelays</c> for an instance of a family.</summary>
    public string Name { get; } = name;
    /// <summary>The key's name of a family instance (<c>FlightDelays</c>); null for a plain target.</summary>
    public string? KeyName { get; } = instanceKey;
    /// <summary>The key object of a family instance; null for a plain target.</summary>
    public object? Key { get; private set; }
    /// <summary>After a first invocation: the key names of a family, in declaration order; null for a plain target.</summary>
    public IReadOnlyList<string>? InstanceKeys { get; private set; }
    public string? DescriptionText { get; private set; }
    public List<TargetReference> DependsOnTargets { get; } = [];
    public List<TargetReference> DependentForTargets { get; } = [];
    public List<TargetReference> AfterTargets { get; } = [];
    public List<TargetReference> BeforeTargets { get; } = [];
    public List<TargetReference> TriggersTargets { get; } = [];
    public List<TargetReference> TriggeredByTargets { get; } = [];
    public List<Condition> StaticConditions { get; } = [];
    public List<Condition> DynamicConditions { get; } = [];
    public List<Condition> Requirements { get; } = [];
    /// <summary>Checks that the target's effect outside its outputs is present (<see cref="Verifies"/>).</summary>
    public List<Condition> Verifications { get; } = [];
    public bool IsProceedAfterFailure { get; private set; }
    public bool IsAssuredAfterFailure { get; private set; }
    public bool IsUnlisted { get; private set; }
    /// <summary>The bodies, kept as delegates so the code fingerprint can find their methods.</summary>
    public List<Delegate> Actions { get; } = [];
    public List<AbsolutePath> InputPaths { get; } = [];
    public List<AbsolutePath> OutputPaths { get; } = [];
    public List<string> ExplicitReads { get; } = [];
    public string? VersionText { get; private set; }

    public ITargetDefinition Description(string description) => Set(() => DescriptionText = description);

    public ITargetDefinition DependsOn(params Target[] targets) => Add(DependsOnTargets, targets);
    public ITargetDefinition DependsOn<TComponent>(params Func<TComponent, Target>[] targets) => Add(DependsOnTargets, targets);
    public ITargetDefinition DependentFor(params Target[] targets) => Add(DependentForTargets, targets);
    public ITargetDefinition DependentFor<TComponent>(params Func<TComponent, Target>[] targets) => Add(DependentForTargets, targets);
    public ITargetDefinition After(params Target[] targets) => Add(AfterTargets, targets);
    public ITargetDefinition After<TComponent>(params Func<TComponent, Target>[] targets) => Add(AfterTargets, targets);
    public ITargetDefinition Before(params Target[] targets) => Add(BeforeTargets, targets);
    public ITargetDefinition Before<TComponent>(params Func<TComponent, Target>[] targets) => Add(BeforeTargets, targets);
    public ITargetDefinition Triggers(params Target[] targets) => Add(TriggersTargets, targets);
    public ITargetDefinition Triggers<TComponent>(params Func<TComponent, Target>[] targets) => Add(TriggersTargets, targets);
    public ITargetDefinition TriggeredBy(params Target[] targets) => Add(TriggeredByTargets, targets);
    public ITargetDefinition TriggeredBy<TComponent>(params Func<TComponent, Target>[] targets) => Add(TriggeredByTargets, targets);

    public ITargetDefinition OnlyWhenStatic(Func<bool> condition, string? conditionText = null) =>
        Set(() => StaticConditions.Add(new Condition(condition, conditionText ?? "a static condition")));
    public ITargetDefinition OnlyWhenDynamic(Func<bool> condition, string? conditionText = null) =>
        Set(() => DynamicConditions.Add(new Condition(condition, conditionText ?? "a dynamic condition")));
    public ITargetDefinition Requires(Func<bool> requirement, string? requirementText = null) =>
        Set(() => Requirements.Add(new Condition(requirement, requirementText ?? "a requirement")));
    public ITargetDefinition Requires<T>(Func<T?> value, string? valueText = null) =>
        Set(() => Requirements.Add(new Condition(() => value() is { } v && (v is not string s || s.Length > 0), $"{valueText ?? "a value"} is set")));

    public ITargetDefinition Verifies(Func<bool> check, string what) =>
        Set(() => Verifications.Add(new Condition(check, string.IsNullOrWhiteSpace(what) ? "a verification" : what)));

    public ITargetDefinition ProceedAfterFailure() => Set(() => IsProceedAfterFailure = true);
    public ITargetDefinition AssuredAfterFailure() => Set(() => IsAssuredAfterFailure = true);
    public ITargetDefinition Unlisted() => Set(() => IsUnlisted = true);

    public ITargetDefinition Executes(Action action) => Set(() => Actions.Add(action));
    public ITargetDefinition Executes(Func<Task> action) => Set(() => Actions.Add(action));
    public ITargetDefinition Executes(Func<CancellationToken, Task> action) => Set(() => Actions.Add(action));

    public ITargetDefinition Inputs(params AbsolutePath[] paths) => Set(() => InputPaths.AddRange(paths));
    public ITargetDefinition Outputs(params AbsolutePath[] paths) => Set(() => OutputPaths.AddRange(paths));
    public ITargetDefinition Reads(params string[] parameterNames) => Set(() => ExplicitReads.AddRange(parameterNames));
    public ITargetDefinition Version(string version) => Set(() => VersionText = version);

    public ITargetDefinition ForEach<TKey>(IEnumerable<TKey> keys, Func<TKey, string> name, Func<ITargetDefinition, TKey, ITargetDefinition> instance)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(instance);
        if (_forEachCalled) throw new BuildConfigurationException($"Target '{Name}' calls ForEach twice; a family has one set of keys.");
        _forEachCalled = true;
        var named = keys.Select(k => (Name: name(k), Key: k)).ToList();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (keyName, _) in named)
        {
            if (keyName is null || !KeyNamePattern().IsMatch(keyName))
                throw new BuildConfigurationException($"Target '{Name}': key name '{keyName}' is not valid; use letters, digits, '.', '-' and '_', starting with a letter or digit.");
            if (!seen.Add(keyName))
                throw new BuildConfigurationException($"Target '{Name}': two keys are named '{keyName}'; every instance needs its own name.");
        }
        if (KeyName is null)
        {
            InstanceKeys = named.Select(n => n.Name).ToList();
            return this;
        }
        var index = named.FindIndex(n => n.Name == KeyName);
        if (index < 0)
            throw new BuildConfigurationException($"Target '{Name}': ForEach gave other keys the second time it was asked ({string.Join(", ", named.Select(n => n.Name))}); the keys of a family must not change while the build runs.");
        Key = named[index].Key;
        return instance(this, named[index].Key);
    }

    [System.Text.RegularExpressions.GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]*$")]
    private static partial System.Text.RegularExpressions.Regex KeyNamePattern();

    /// <summary>Runs one action of the body, whatever its shape.</summary>
    public static Task InvokeAsync(Delegate action, CancellationToken cancellationToken) => action switch
    {
        Action sync => Task.Run(sync, cancellationToken),
        Func<Task> async => async(),
        Func<CancellationToken, Task> cancellable => cancellable(cancellationToken),
        _ => throw new InvalidOperationException($"Unsupported action type {action.GetType()}."),
    };

    TargetDefinition Set(Action change)
    {
        change();
        return this;
    }

    TargetDefinition Add(List<TargetReference> list, Target[] targets)
    {
        list.AddRange(targets.Select(TargetReference.Of));
        return this;
    }

    TargetDefinition Add<TComponent>(List<TargetReference> list, Func<TComponent, Target>[] targets)
    {
        list.AddRange(targets.Select(TargetReference.Of));
        return this;
    }
}

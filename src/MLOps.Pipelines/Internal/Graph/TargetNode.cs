using System.Reflection;
using MLOps.Pipelines.Internal.Targets;

namespace MLOps.Pipelines.Internal.Graph;

/// <summary>One target of the build (or one instance of a target family) with its relations resolved to other nodes.</summary>
internal sealed class TargetNode(string name, int index, TargetDefinition definition, MethodInfo getter, string? family = null)
{
    /// <summary><c>Train</c>, or <c>Train@FlightDelays</c> for an instance of a family.</summary>
    public string Name { get; } = name;
    /// <summary>The family's name (<c>Train</c>) of an instance; null for a plain target.</summary>
    public string? Family { get; } = family;
    /// <summary>The key's name (<c>FlightDelays</c>) of an instance; null for a plain target.</summary>
    public string? KeyName => Definition.KeyName;
    /// <summary>Declaration order: the tie-break that keeps plans stable.</summary>
    public int Index { get; } = index;
    public TargetDefinition Definition { get; } = definition;
    /// <summary>The property getter that declares the target (a root of the code fingerprint).</summary>
    public MethodInfo Getter { get; } = getter;

    /// <summary>Must run first and are planned with this one (DependsOn, and DependentFor declared elsewhere).</summary>
    public List<TargetNode> Dependencies { get; } = [];
    /// <summary>Planned whenever this one is, and run after it (Triggers, and TriggeredBy declared elsewhere).</summary>
    public List<TargetNode> Triggered { get; } = [];
    /// <summary>Order only: run after these when both are planned (After, and Before declared elsewhere).</summary>
    public List<TargetNode> OrderedAfter { get; } = [];
    /// <summary>Targets whose Triggers brought this one in.</summary>
    public List<TargetNode> TriggeredFrom { get; } = [];

    public override string ToString() => Name;
}

using System.Reflection;
using MLOps.Pipelines.Internal.Cli;
using MLOps.Pipelines.Internal.Targets;

namespace MLOps.Pipelines.Internal.Graph;

/// <summary>Every target of a build and how they relate; plans executions from invoked targets.</summary>
internal sealed class TargetGraph
{
    readonly Dictionary<string, TargetNode> _byName;
    readonly Dictionary<string, IReadOnlyList<TargetNode>> _families;

    TargetGraph(IReadOnlyList<TargetNode> targets, Dictionary<string, IReadOnlyList<TargetNode>> families)
    {
        Targets = targets;
        _byName = targets.ToDictionary(t => t.Name, StringComparer.OrdinalIgnoreCase);
        _families = families;
    }

    /// <summary>Every target, a family's instances in place of the family, in declaration order.</summary>
    public IReadOnlyList<TargetNode> Targets { get; }

    /// <summary>The target families by name, each with its instances in key order.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<TargetNode>> Families => _families;

    /// <summary>Finds one target or instance by name (case-insensitive) or fails with the closest names.</summary>
    public TargetNode Find(string name) =>
        _byName.TryGetValue(name, out var node) ? node : throw Unknown(name);

    /// <summary>
    /// The targets a name on the command line stands for: a target, an instance (<c>Train@FlightDelays</c>), or a
    /// family (<c>Train</c>: every instance). Fails with the closest names.
    /// </summary>
    public IReadOnlyList<TargetNode> FindAll(string name) =>
        _families.TryGetValue(name, out var instances) ? instances
        : _byName.TryGetValue(name, out var node) ? [node]
        : throw Unknown(name);

    BuildConfigurationException Unknown(string name) => new(
        $"Unknown target '{name}'.{ClosestNames.Hint(name, _families.Keys.Concat(Targets.Select(t => t.Name)))} Run ./build.sh --help for the list.");

    /// <summary>
    /// Discovers the <see cref="Target"/> properties of the build, its base classes and its component interfaces; a
    /// declaration that calls <c>ForEach</c> becomes one node per key.
    /// </summary>
    public static TargetGraph Create(object build)
    {
        var properties = DiscoverProperties(build.GetType());
        var nodes = new List<TargetNode>();
        var families = new Dictionary<string, IReadOnlyList<TargetNode>>(StringComparer.OrdinalIgnoreCase);
        var byMethod = new Dictionary<MethodInfo, IReadOnlyList<TargetNode>>();
        foreach (var (name, property) in properties)
        {
            var target = (Target?)property.GetValue(build)
                ?? throw new BuildConfigurationException($"Target '{name}' is null; declare it as Target {name} => _ => _...;");
            var definition = Declare(target, new TargetDefinition(name));
            if (definition.InstanceKeys is not { } keys)
            {
                var node = new TargetNode(name, nodes.Count, definition, property.GetMethod!);
                nodes.Add(node);
                byMethod[target.Method] = [node];
                continue;
            }
            var instances = new List<TargetNode>();
            foreach (var key in keys)
            {
                var instance = Declare(target, new TargetDefinition($"{name}@{key}", key));
                var node = new TargetNode(instance.Name, nodes.Count, instance, property.GetMethod!, name);
                nodes.Add(node);
                instances.Add(node);
            }
            families[name] = instances;
            byMethod[target.Method] = instances;
        }

        // A family referring to a family that has its key means that instance; anything else means every instance.
        IEnumerable<TargetNode> Resolve(TargetNode from, TargetReference reference)
        {
            var target = reference.Resolve(build);
            if (!byMethod.TryGetValue(target.Method, out var referenced))
                throw new BuildConfigurationException($"Target '{from.Name}' refers to a target that is not a Target property of the build.");
            if (from.KeyName is { } key && referenced.FirstOrDefault(n => n.KeyName == key) is { } sameKey) return [sameKey];
            return referenced;
        }

        foreach (var node in nodes)
        {
            var d = node.Definition;
            foreach (var r in d.DependsOnTargets)
                foreach (var other in Resolve(node, r)) AddOnce(node.Dependencies, other);
            foreach (var r in d.DependentForTargets)
                foreach (var other in Resolve(node, r)) AddOnce(other.Dependencies, node);
            foreach (var r in d.AfterTargets)
                foreach (var other in Resolve(node, r)) AddOnce(node.OrderedAfter, other);
            foreach (var r in d.BeforeTargets)
                foreach (var other in Resolve(node, r)) AddOnce(other.OrderedAfter, node);
            foreach (var r in d.TriggersTargets)
                foreach (var other in Resolve(node, r)) Trigger(node, other);
            foreach (var r in d.TriggeredByTargets)
                foreach (var other in Resolve(node, r)) Trigger(other, node);
        }

        var graph = new TargetGraph(nodes, families);
        graph.ThrowOnCycle();
        return graph;
    }

    static TargetDefinition Declare(Target target, TargetDefinition definition)
    {
        try
        {
            target(definition);
            return definition;
        }
        catch (Exception e) when (e is not BuildConfigurationException)
        {
            throw new BuildConfigurationException($"Declaring target '{definition.Name}' threw {e.GetType().Name}: {e.Message}");
        }
    }

    /// <summary>The invoked targets, everything they depend on or trigger, in an order that honours every relation.</summary>
    public IReadOnlyList<TargetNode> Plan(IEnumerable<TargetNode> invoked)
    {
        var planned = new HashSet<TargetNode>();
        var pending = new Stack<TargetNode>(invoked);
        while (pending.TryPop(out var node))
        {
            if (!planned.Add(node)) continue;
            foreach (var next in node.Dependencies.Concat(node.Triggered)) pending.Push(next);
        }

        var ordered = new List<TargetNode>();
        var visited = new HashSet<TargetNode>();
        void Visit(TargetNode node)
        {
            if (!visited.Add(node)) return;
            foreach (var before in Predecessors(node, planned).OrderBy(n => n.Index)) Visit(before);
            ordered.Add(node);
        }
        foreach (var node in invoked) Visit(node);
        foreach (var node in planned.OrderBy(n => n.Index)) Visit(node);
        return ordered;
    }

    /// <summary>The planned targets that must finish before this one starts.</summary>
    public static IEnumerable<TargetNode> Predecessors(TargetNode node, IReadOnlySet<TargetNode> planned) =>
        node.Dependencies.Concat(node.TriggeredFrom).Concat(node.OrderedAfter).Where(planned.Contains).Distinct();

    /// <summary>The targets whose failure means this one cannot run (it needs their results).</summary>
    public static IEnumerable<TargetNode> Upstream(TargetNode node, IReadOnlySet<TargetNode> planned) =>
        node.Dependencies.Concat(node.TriggeredFrom).Where(planned.Contains).Distinct();

    void ThrowOnCycle()
    {
        var state = new Dictionary<TargetNode, int>(); // 1 visiting, 2 done
        var path = new List<TargetNode>();
        bool Visit(TargetNode node)
        {
            state[node] = 1;
            path.Add(node);
            foreach (var next in node.Dependencies.Concat(node.TriggeredFrom).Concat(node.OrderedAfter).OrderBy(n => n.Index))
            {
                if (state.GetValueOrDefault(next) == 1)
                {
                    var cycle = path.Skip(path.IndexOf(next)).Append(next).Select(n => n.Name);
                    throw new BuildConfigurationException(
                        $"The targets form a cycle: {string.Join(" -> ", cycle)}. Remove one of these DependsOn/After/Triggers relations.");
                }
                if (state.GetValueOrDefault(next) == 0 && Visit(next)) return true;
            }
            path.RemoveAt(path.Count - 1);
            state[node] = 2;
            return false;
        }
        foreach (var node in Targets)
            if (state.GetValueOrDefault(node) == 0) Visit(node);
    }

    static IEnumerable<(string Name, PropertyInfo Property)> DiscoverProperties(Type buildType)
    {
        const BindingFlags flags = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly;
        var found = new Dictionary<string, PropertyInfo>(StringComparer.OrdinalIgnoreCase);
        var order = new List<string>();
        void Add(PropertyInfo property)
        {
            var name = property.Name[(property.Name.LastIndexOf('.') + 1)..]; // explicit interface implementations are "IComponent.Train"
            if (found.TryAdd(name, property)) order.Add(name);
        }

        var hierarchy = new List<Type>();
        for (var type = buildType; type is not null && type != typeof(object); type = type.BaseType) hierarchy.Add(type);
        foreach (var type in hierarchy)
            foreach (var property in type.GetProperties(flags).Where(p => p.PropertyType == typeof(Target) && p.GetMethod is not null).OrderBy(p => p.MetadataToken))
                Add(property);
        foreach (var component in buildType.GetInterfaces().OrderBy(i => i.FullName, StringComparer.Ordinal))
            foreach (var property in component.GetProperties(flags).Where(p => p.PropertyType == typeof(Target) && p.GetMethod is { IsAbstract: false }).OrderBy(p => p.MetadataToken))
                Add(property);
        return order.Select(name => (name, found[name]));
    }

    static void AddOnce(List<TargetNode> list, TargetNode node)
    {
        if (!list.Contains(node)) list.Add(node);
    }

    static void Trigger(TargetNode from, TargetNode to)
    {
        AddOnce(from.Triggered, to);
        AddOnce(to.TriggeredFrom, from);
    }
}

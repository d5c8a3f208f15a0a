using System.Reflection;
using MLOps.Pipelines.Cli;
using MLOps.Pipelines.Targets;

namespace MLOps.Pipelines.Graph;

/// <summary>Every target of a build and how they relate; plans executions from invoked targets.</summary>
internal sealed class TargetGraph
{
    readonly Dictionary<string, TargetNode> _byName;

    TargetGraph(IReadOnlyList<TargetNode> targets)
    {
        Targets = targets;
        _byName = targets.ToDictionary(t => t.Name, StringComparer.OrdinalIgnoreCase);
    }

    public IReadOnlyList<TargetNode> Targets { get; }

    /// <summary>Finds a target by name (case-insensitive) or fails with the closest names.</summary>
    public TargetNode Find(string name) =>
        _byName.TryGetValue(name, out var node)
            ? node
            : throw new BuildConfigurationException(
                $"Unknown target '{name}'.{ClosestNames.Hint(name, Targets.Select(t => t.Name))} Run ./build.sh --help for the list.");

    /// <summary>Discovers the <see cref="Target"/> properties of the build, its base classes and its component interfaces.</summary>
    public static TargetGraph Create(object build)
    {
        var properties = DiscoverProperties(build.GetType());
        var nodes = new List<TargetNode>();
        var byMethod = new Dictionary<MethodInfo, TargetNode>();
        foreach (var (name, property) in properties)
        {
            var target = (Target?)property.GetValue(build)
                ?? throw new BuildConfigurationException($"Target '{name}' is null; declare it as Target {name} => _ => _...;");
            var definition = new TargetDefinition(name);
            try
            {
                target(definition);
            }
            catch (Exception e) when (e is not BuildConfigurationException)
            {
                throw new BuildConfigurationException($"Declaring target '{name}' threw {e.GetType().Name}: {e.Message}");
            }
            var node = new TargetNode(name, nodes.Count, definition, property.GetMethod!);
            nodes.Add(node);
            byMethod[target.Method] = node;
        }

        TargetNode Resolve(TargetNode from, TargetReference reference)
        {
            var target = reference.Resolve(build);
            return byMethod.TryGetValue(target.Method, out var node)
                ? node
                : throw new BuildConfigurationException($"Target '{from.Name}' refers to a target that is not a Target property of the build.");
        }

        foreach (var node in nodes)
        {
            var d = node.Definition;
            foreach (var r in d.DependsOnTargets) AddOnce(node.Dependencies, Resolve(node, r));
            foreach (var r in d.DependentForTargets) AddOnce(Resolve(node, r).Dependencies, node);
            foreach (var r in d.AfterTargets) AddOnce(node.OrderedAfter, Resolve(node, r));
            foreach (var r in d.BeforeTargets) AddOnce(Resolve(node, r).OrderedAfter, node);
            foreach (var r in d.TriggersTargets) Trigger(node, Resolve(node, r));
            foreach (var r in d.TriggeredByTargets) Trigger(Resolve(node, r), node);
        }

        var graph = new TargetGraph(nodes);
        graph.ThrowOnCycle();
        return graph;
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

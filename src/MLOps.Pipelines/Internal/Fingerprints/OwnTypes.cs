using System.Collections.Concurrent;
using System.Reflection;

namespace MLOps.Pipelines.Internal.Fingerprints;

/// <summary>
/// The repository's own types and the questions the walk asks about them: is a member ours, which of our
/// methods can a virtual call land in, which virtual methods does a created type bring along.
/// </summary>
internal sealed class OwnTypes
{
    private const BindingFlags DeclaredInstance =
        BindingFlags.DeclaredOnly | BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic;

    private readonly HashSet<Assembly> assemblies;
    private readonly Lazy<Type[]> types;
    private readonly ConcurrentDictionary<MethodBase, MethodBase[]> implementations = new(MetadataDefinitionComparer.Instance);
    private readonly ConcurrentDictionary<Type, MethodBase[]> virtualMethods = new(MetadataDefinitionComparer.Instance);

    public OwnTypes(IEnumerable<Assembly> assemblies)
    {
        this.assemblies = [.. assemblies];
        types = new Lazy<Type[]>(() => [.. this.assemblies.SelectMany(LoadableTypes)], LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public bool Contains(Assembly assembly) => assemblies.Contains(assembly);

    public bool Contains(MemberInfo member) => assemblies.Contains(member.Module.Assembly);

    /// <summary>
    /// Every own method a call to <paramref name="method"/> (an own virtual or interface method, as its open
    /// definition) may dispatch to: overrides in subclasses, interface implementations and their overrides.
    /// </summary>
    public IReadOnlyList<MethodBase> ImplementationsOf(MethodBase method) =>
        implementations.GetOrAdd(method, FindImplementations);

    /// <summary>The virtual methods an instance of this own type brings (records' ToString, Equals, ...).</summary>
    public IReadOnlyList<MethodBase> VirtualMethodsOf(Type type) =>
        virtualMethods.GetOrAdd(OpenDefinitions.Of(type), FindVirtualMethods);

    /// <summary>The method a <c>constrained. T</c> call to <paramref name="method"/> runs when T is an own type.</summary>
    public MethodBase? ImplementationOn(Type constrainedType, MethodBase method)
    {
        var type = OpenDefinitions.Of(constrainedType);
        if (type.IsGenericParameter || !Contains(type))
            return null;

        if (method.DeclaringType is { IsInterface: true } interfaceType)
            return InterfaceTarget(type, interfaceType, method);

        if (method is not MethodInfo info)
            return null;
        var baseDefinition = info.GetBaseDefinition();
        for (var current = type; current is not null && Contains(current); current = current.BaseType)
        {
            foreach (var candidate in current.GetMethods(DeclaredInstance))
            {
                if (candidate.IsVirtual && candidate.GetBaseDefinition().HasSameMetadataDefinitionAs(baseDefinition))
                    return OpenDefinitions.Of(candidate);
            }
        }

        return null;
    }

    private MethodBase[] FindImplementations(MethodBase method)
    {
        var found = new HashSet<MethodBase>(MetadataDefinitionComparer.Instance);
        if (method.DeclaringType is { IsInterface: true } interfaceType)
        {
            foreach (var type in types.Value)
            {
                if (type.IsInterface || InterfaceTarget(type, interfaceType, method) is not { } target)
                    continue;
                found.Add(target);
                if (target.IsVirtual && !target.IsFinal)
                    AddOverrides(target, found);
            }
        }
        else if (method is MethodInfo)
        {
            AddOverrides(method, found);
        }

        found.Remove(method);
        return Sorted(found);
    }

    private void AddOverrides(MethodBase method, HashSet<MethodBase> found)
    {
        var declaring = method.DeclaringType!;
        var baseDefinition = ((MethodInfo)method).GetBaseDefinition();
        foreach (var type in types.Value)
        {
            if (type.IsInterface || !DerivesFrom(type, declaring))
                continue;
            foreach (var candidate in type.GetMethods(DeclaredInstance))
            {
                if (candidate.IsVirtual && candidate.GetBaseDefinition().HasSameMetadataDefinitionAs(baseDefinition))
                    found.Add(OpenDefinitions.Of(candidate));
            }
        }
    }

    private static MethodBase? InterfaceTarget(Type type, Type interfaceType, MethodBase method)
    {
        foreach (var implemented in type.GetInterfaces())
        {
            if (!OpenDefinitions.Of(implemented).HasSameMetadataDefinitionAs(OpenDefinitions.Of(interfaceType)))
                continue;
            InterfaceMapping map;
            try
            {
                map = type.GetInterfaceMap(implemented);
            }
            catch (ArgumentException)
            {
                // Reflection cannot map some shapes (open generic variance corners); the interface method
                // itself is still hashed by name, so skipping only loses precision, never stability.
                continue;
            }

            for (var i = 0; i < map.InterfaceMethods.Length; i++)
            {
                if (map.InterfaceMethods[i].HasSameMetadataDefinitionAs(method))
                    return OpenDefinitions.Of(map.TargetMethods[i]);
            }
        }

        return null;
    }

    private static bool DerivesFrom(Type type, Type baseType)
    {
        var target = OpenDefinitions.Of(baseType);
        for (var current = type.BaseType; current is not null; current = current.BaseType)
        {
            if (OpenDefinitions.Of(current).HasSameMetadataDefinitionAs(target))
                return true;
        }

        return false;
    }

    private MethodBase[] FindVirtualMethods(Type type)
    {
        var found = new HashSet<MethodBase>(MetadataDefinitionComparer.Instance);
        for (var current = type; current is not null && Contains(current); current = current.BaseType)
        {
            foreach (var method in OpenDefinitions.Of(current).GetMethods(DeclaredInstance))
            {
                if (method.IsVirtual && !method.IsAbstract)
                    found.Add(method);
            }
        }

        return Sorted(found);
    }

    // Reflection's member order is not promised; order by readable spelling so the walk order is stable.
    private static MethodBase[] Sorted(IEnumerable<MethodBase> methods) =>
        [.. methods.OrderBy(CanonicalNames.Display, StringComparer.Ordinal)];

    private static IEnumerable<Type> LoadableTypes(Assembly assembly)
    {
        try
        {
            return assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException exception)
        {
            return exception.Types.OfType<Type>();
        }
    }
}

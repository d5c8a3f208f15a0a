using System.Linq.Expressions;

namespace MLOps.Pipelines;

/// <summary>What every build and build component can see: the repository's well-known folders.</summary>
public interface IPipelineBuild
{
    /// <summary>The repository root: the folder holding <c>.nuke/</c>.</summary>
    AbsolutePath RootDirectory { get; }
    /// <summary><c>artifacts/</c>: what targets produce for people (reports, packages).</summary>
    AbsolutePath ArtifactsDirectory { get; }
    /// <summary><c>.nuke/temp/</c>: scratch space, git-ignored.</summary>
    AbsolutePath TemporaryDirectory { get; }
    /// <summary>True on a CI server (the <c>CI</c> environment variable is set).</summary>
    bool IsServerBuild { get; }

    /// <summary>
    /// The value of a parameter declared on a build component, which holds no field to resolve it into:
    /// <c>[Parameter("Boosting rounds")] int Trees => GetValue(() => Trees, 250);</c> — the command line,
    /// <c>.nuke/parameters*.json</c> or the environment, else <paramref name="defaultValue"/> (also shown by <c>--help</c>).
    /// A target whose code reads the property has the value in its fingerprint, like a field parameter's.
    /// </summary>
    T GetValue<T>(Expression<Func<T>> parameter, T defaultValue) => Internal.Parameters.ComponentParameterValues.Get(this, parameter, defaultValue);
}

namespace MLOps.Pipelines.Internal.Building;

/// <summary>Finds the repository root: <c>--root</c>, else the folder of build.sh, else the nearest folder holding <c>.nuke/</c> up from the current directory or from the build program.</summary>
internal static class RootDirectoryLocator
{
    public static AbsolutePath Locate(string? explicitRoot, string currentDirectory)
    {
        if (explicitRoot is not null)
        {
            var root = Path.IsPathFullyQualified(explicitRoot) ? AbsolutePath.Create(explicitRoot) : AbsolutePath.Create(currentDirectory) / explicitRoot;
            return Directory.Exists(root / ".nuke")
                ? root
                : throw new BuildConfigurationException($"--root {explicitRoot}: no .nuke folder there. Point --root at the repository root, or create {root / ".nuke"}.");
        }
        // build.sh says where it lives; otherwise the working directory, then the program's own location, decide.
        if (Environment.GetEnvironmentVariable("MLOPS_PIPELINES_ROOT") is { Length: > 0 } bootstrapped && Directory.Exists(Path.Combine(bootstrapped, ".nuke")))
            return AbsolutePath.Create(bootstrapped);
        return FindUp(currentDirectory) ?? FindUp(AppContext.BaseDirectory)
            ?? throw new BuildConfigurationException($"No .nuke folder in {currentDirectory} or above: run from inside the repository, or pass --root <path>.");
    }

    static AbsolutePath? FindUp(string start)
    {
        for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
            if (Directory.Exists(Path.Combine(directory.FullName, ".nuke"))) return AbsolutePath.Create(directory.FullName);
        return null;
    }
}

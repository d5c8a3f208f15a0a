using System.IO.Compression;
using System.Text.RegularExpressions;
using MLOps.Pipelines.ML.Artifacts;

namespace MLOps.Pipelines.ML.Stages;

/// <summary>
/// Deploy: unpacks a package into <c>&lt;deployments&gt;/&lt;environment&gt;/&lt;model&gt;/</c> (a folder a model server
/// watches) through a staging folder and a rename, so a server never sees half a model.
/// </summary>
public static partial class DeployStage
{
    /// <summary>
    /// Unpacks <paramref name="packageZip"/> for <paramref name="environment"/>. The package's model name comes from a file,
    /// so it is checked with the registry's rule, against <paramref name="expectedModel"/> (the pipeline's model) when
    /// given, and the folder it resolves to must stay inside the environment's folder.
    /// </summary>
    public static string Run(string packageZip, string environment, string deploymentsDirectory, string? expectedModel = null)
    {
        if (string.IsNullOrWhiteSpace(environment) || environment.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0 || environment.StartsWith('.'))
            throw new ArgumentException($"--deploy-environment '{environment}' is not usable as a folder name; use e.g. staging or production.", nameof(environment));
        if (!File.Exists(packageZip)) throw new FileNotFoundException($"{packageZip} does not exist: run Package first.", packageZip);

        using var archive = ZipFile.OpenRead(packageZip);
        var manifestEntry = archive.GetEntry(PackageManifest.FileName) ?? throw new InvalidDataException($"{packageZip} has no {PackageManifest.FileName}: it is not a package; run Package again.");
        string model;
        using (var reader = new StreamReader(manifestEntry.Open()))
            model = PackageManifest.Parse(reader.ReadToEnd(), packageZip).Model;

        if (model is null || !ModelName().IsMatch(model))
            throw new InvalidDataException($"{packageZip}: model name '{model}' in {PackageManifest.FileName} is not a registry model name (lower-case letters, digits, '.', '_', '-'); run Package again.");
        if (expectedModel is not null && model != expectedModel)
            throw new InvalidDataException($"{packageZip} packages model '{model}', not this pipeline's model '{expectedModel}'; run Package again.");
        var environmentDirectory = Path.GetFullPath(Path.Combine(deploymentsDirectory, environment));
        var target = Path.GetFullPath(Path.Combine(environmentDirectory, model));
        if (!target.StartsWith(environmentDirectory + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            throw new InvalidDataException($"{packageZip}: model '{model}' resolves outside {environmentDirectory}; run Package again.");
        var staging = target + ".staging";
        if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        archive.ExtractToDirectory(staging);
        var previous = target + ".previous";
        if (Directory.Exists(previous)) Directory.Delete(previous, recursive: true);
        if (Directory.Exists(target)) Directory.Move(target, previous);
        Directory.Move(staging, target);
        if (Directory.Exists(previous)) Directory.Delete(previous, recursive: true);
        return target;
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]*$")]
    private static partial Regex ModelName();
}

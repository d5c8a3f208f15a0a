using System.IO.Compression;
using MLOps.Pipelines.ML.Artifacts;

namespace MLOps.Pipelines.ML.Stages;

/// <summary>
/// Deploy: unpacks a package into <c>&lt;deployments&gt;/&lt;environment&gt;/&lt;model&gt;/</c> (a folder a model server
/// watches) through a staging folder and a rename, so a server never sees half a model.
/// </summary>
public static class DeployStage
{
    public static string Run(string packageZip, string environment, string deploymentsDirectory)
    {
        if (string.IsNullOrWhiteSpace(environment) || environment.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0 || environment.StartsWith('.'))
            throw new ArgumentException($"--deploy-environment '{environment}' is not usable as a folder name; use e.g. staging or production.", nameof(environment));
        if (!File.Exists(packageZip)) throw new FileNotFoundException($"{packageZip} does not exist: run Package first.", packageZip);

        using var archive = ZipFile.OpenRead(packageZip);
        var manifestEntry = archive.GetEntry(PackageManifest.FileName) ?? throw new InvalidDataException($"{packageZip} has no {PackageManifest.FileName}: it is not a package; run Package again.");
        string model;
        using (var reader = new StreamReader(manifestEntry.Open()))
            model = PackageManifest.Parse(reader.ReadToEnd(), packageZip).Model;

        var target = Path.GetFullPath(Path.Combine(deploymentsDirectory, environment, model));
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
}

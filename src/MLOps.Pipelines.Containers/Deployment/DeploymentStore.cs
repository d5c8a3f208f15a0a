using System.Text.Json;
using MLOps.Pipelines.Containers.Naming;

namespace MLOps.Pipelines.Containers.Deployment;

/// <summary>
/// Where deployments are remembered. Reviewable records go beside the model's registry entry
/// (<c>&lt;registry&gt;/deployments/&lt;environment&gt;.json</c>, one array, appended); what runs on this machine — the live
/// server's runtime, handle and port, and the releases served before, for a rollback — goes under a machine-local
/// state folder. Every path is built from validated names and checked to stay inside its root.
/// </summary>
public sealed class DeploymentStore
{
    static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public DeploymentStore(string registryDirectory, string stateDirectory)
    {
        RegistryDirectory = Path.GetFullPath(registryDirectory);
        StateDirectory = Path.GetFullPath(stateDirectory);
        ModelName = DeploymentNames.ModelName(Path.GetFileName(Path.TrimEndingDirectorySeparator(RegistryDirectory)), "the registry folder's name");
    }

    /// <summary>The model's registry folder, e.g. <c>models/flight-delays</c>; its name is the model's name.</summary>
    public string RegistryDirectory { get; }
    public string StateDirectory { get; }
    public string ModelName { get; }

    public string RecordsFile(string environment) =>
        ContainedPath.Resolve(RegistryDirectory, "deployments", DeploymentNames.Environment(environment) + ".json");

    string LiveFile(string environment) => ContainedPath.Resolve(StateDirectory, DeploymentNames.Environment(environment), ModelName, "live.json");

    string HistoryFile(string environment) => ContainedPath.Resolve(StateDirectory, DeploymentNames.Environment(environment), ModelName, "history.json");

    /// <summary>
    /// Holds the deployment lock of <paramref name="environment"/> until disposed: a second deployment of the same model
    /// to the same environment on this machine waits for the first, up to <paramref name="timeout"/>.
    /// </summary>
    public async Task<IDisposable> LockAsync(string environment, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var file = ContainedPath.Resolve(StateDirectory, DeploymentNames.Environment(environment), ModelName, "deploy.lock");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return new FileStream(file, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (clock.Elapsed < timeout)
            {
                await Task.Delay(100, cancellationToken);
            }
            catch (IOException)
            {
                throw new DeploymentException($"another deployment of {ModelName} to '{environment}' has held {file} for {timeout.TotalSeconds:0} s; wait for it or stop it");
            }
        }
    }

    public string LogDirectory(string environment) => ContainedPath.Resolve(StateDirectory, DeploymentNames.Environment(environment), ModelName, "logs");

    public IReadOnlyList<DeploymentRecord> Records(string environment) => ReadList<DeploymentRecord>(RecordsFile(environment));

    public void Append(DeploymentRecord record) =>
        AtomicFile.WriteAllText(RecordsFile(record.Environment), JsonSerializer.Serialize(Records(record.Environment).Append(record).ToList(), Json) + "\n");

    public RunningServer? Live(string environment)
    {
        var file = LiveFile(environment);
        if (!File.Exists(file)) return null;
        try
        {
            return JsonSerializer.Deserialize<RunningServer>(File.ReadAllText(file));
        }
        catch (JsonException e)
        {
            throw new DeploymentException($"{file} is damaged ({e.Message}); stop the server on the stable port and delete the file");
        }
    }

    public void SetLive(string environment, RunningServer? server)
    {
        var file = LiveFile(environment);
        if (server is null) { if (File.Exists(file)) File.Delete(file); return; }
        AtomicFile.WriteAllText(file, JsonSerializer.Serialize(server, Json) + "\n");
    }

    string StartedFile(string environment) => ContainedPath.Resolve(StateDirectory, DeploymentNames.Environment(environment), ModelName, "started.json");

    /// <summary>
    /// Servers a deployment started and has neither made live nor stopped yet (a candidate, or the new release on the
    /// stable port before it is recorded live): what a build killed mid-deployment leaves running, for the next one to stop.
    /// </summary>
    public IReadOnlyList<RunningServer> Started(string environment) => ReadList<RunningServer>(StartedFile(environment));

    public void AddStarted(string environment, RunningServer server) =>
        AtomicFile.WriteAllText(StartedFile(environment), JsonSerializer.Serialize(Started(environment).Append(server).ToList(), Json) + "\n");

    public void RemoveStarted(string environment, RunningServer server) =>
        AtomicFile.WriteAllText(StartedFile(environment),
            JsonSerializer.Serialize(Started(environment).Where(s => s.Runtime != server.Runtime || s.Id != server.Id).ToList(), Json) + "\n");

    /// <summary>The releases that went into service in <paramref name="environment"/> on this machine, oldest first.</summary>
    public IReadOnlyList<ServerRelease> ServedReleases(string environment) => ReadList<ServerRelease>(HistoryFile(environment));

    public void AddServed(string environment, ServerRelease release) =>
        AtomicFile.WriteAllText(HistoryFile(environment), JsonSerializer.Serialize(ServedReleases(environment).Append(release).ToList(), Json) + "\n");

    static IReadOnlyList<T> ReadList<T>(string file)
    {
        if (!File.Exists(file)) return [];
        try
        {
            return JsonSerializer.Deserialize<List<T>>(File.ReadAllText(file)) ?? [];
        }
        catch (JsonException e)
        {
            throw new DeploymentException($"{file} is damaged ({e.Message}); restore it from git or delete it");
        }
    }
}

using System.Diagnostics;

namespace MLOps.Pipelines.Containers.Publishing;

/// <summary>
/// Server publishes by content: <c>&lt;directory&gt;/&lt;key&gt;/</c>, the key being <see cref="ServerSourceKey"/> of
/// the project and the publish settings. Every Package of every pipeline asks here, so the server is published once per
/// source state, not once per pipeline (a publish takes minutes). A publish is written to a staging folder and renamed
/// into place, so a key's folder exists only complete; publishes of one project are serialized by a lock file in its
/// <c>obj/</c> (two at once would also build into the same <c>obj/</c>), and whoever waited finds the folder made.
/// </summary>
public sealed class PublishedServerCache(string directory)
{
    static readonly TimeSpan LockPoll = TimeSpan.FromMilliseconds(200);

    public string Directory { get; } = Path.GetFullPath(directory);

    /// <summary>The publish of <paramref name="project"/> for its current sources: reused when made before, else published now.</summary>
    public async Task<PublishedServer> GetOrPublishAsync(string project, bool partialTrimming = false, IReadOnlyDictionary<string, string>? properties = null,
        CancellationToken cancellationToken = default)
    {
        var projectPath = Path.GetFullPath(project);
        var key = KeyOf(projectPath, partialTrimming, properties);
        var folder = Path.Combine(Directory, key);
        if (System.IO.Directory.Exists(folder)) return new PublishedServer(folder, key, PublishedNow: false, TimeSpan.Zero);

        var clock = Stopwatch.StartNew();
        using (await LockAsync(projectPath, cancellationToken))
        {
            if (System.IO.Directory.Exists(folder)) return new PublishedServer(folder, key, PublishedNow: false, clock.Elapsed);
            System.IO.Directory.CreateDirectory(Directory);
            // Staging folders of publishes that were killed: nobody else publishes this project while we hold the lock.
            foreach (var stale in System.IO.Directory.EnumerateDirectories(Directory, key + ".staging-*")) System.IO.Directory.Delete(stale, recursive: true);
            var staging = $"{folder}.staging-{Guid.NewGuid():N}";
            try
            {
                await ServerPublisher.PublishAsync(projectPath, staging, partialTrimming, properties, cancellationToken);
                System.IO.Directory.Move(staging, folder);
            }
            finally
            {
                if (System.IO.Directory.Exists(staging)) System.IO.Directory.Delete(staging, recursive: true);
            }
        }
        return new PublishedServer(folder, key, PublishedNow: true, clock.Elapsed);
    }

    /// <summary>The key <see cref="GetOrPublishAsync"/> files a publish under.</summary>
    public static string KeyOf(string project, bool partialTrimming, IReadOnlyDictionary<string, string>? properties) =>
        ServerSourceKey.Of(project,
        [
            "linux-x64", "self-contained", partialTrimming ? "TrimMode=partial" : "untrimmed",
            .. (properties ?? new Dictionary<string, string>()).OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"),
        ]);

    /// <summary>An exclusive lock (flock through FileShare.None; the kernel drops it when the holder dies) on the project's publish.</summary>
    static async Task<FileStream> LockAsync(string projectPath, CancellationToken cancellationToken)
    {
        var file = Path.Combine(Path.GetDirectoryName(projectPath)!, "obj", "mlops-publish.lock");
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        var waiting = false;
        while (true)
        {
            try
            {
                return new FileStream(file, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, bufferSize: 1);
            }
            catch (IOException) when (!cancellationToken.IsCancellationRequested)
            {
                if (!waiting) StepProgress.Report($"waiting for another publish of {Path.GetFileName(projectPath)} ({file})");
                waiting = true;
                await Task.Delay(LockPoll, cancellationToken);
            }
        }
    }
}

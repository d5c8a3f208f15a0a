using System.Diagnostics;
using MLOps.Pipelines.Internal.Hashing;
using MLOps.Pipelines.Internal.Incremental;

namespace MLOps.Pipelines.Tests.Caching;

public class TargetRunTransactionTests
{
    static TargetSpec Spec(string trees) =>
        CacheTestRoot.Spec("Train", ["data/raw.csv"], ["models", "report.txt"], new Dictionary<string, string> { ["Trees"] = trees });

    static void Produce(CacheTestRoot root, string content)
    {
        root.Write("models/model.zip", content);
        root.Write("models/extra/info.json", content);
        root.Write("report.txt", content);
    }

    static CacheTestRoot WithPreviousRun(out TargetCache cache)
    {
        var root = new CacheTestRoot();
        root.Write("data/raw.csv", "raw");
        cache = root.Cache();
        CacheTestRoot.Execute(cache, Spec("1"), () => Produce(root, "previous"));
        return root;
    }

    static void ShouldHaveThePreviousOutputs(CacheTestRoot root)
    {
        root.Read("models/model.zip").ShouldBe("previous");
        root.Read("models/extra/info.json").ShouldBe("previous");
        root.Read("report.txt").ShouldBe("previous");
        File.Exists(root.PathOf("models/partial.tmp")).ShouldBeFalse();
        Directory.Exists(root.PathOf(".nuke/temp/backup/Train")).ShouldBeFalse();
    }

    [Fact]
    public void Begin_keeps_previous_files_in_place_moves_folders_aside_and_a_failed_run_gets_them_back()
    {
        using var root = WithPreviousRun(out var cache);
        using (cache)
        {
            var lockBefore = File.ReadAllBytes(cache.LockFile.Path);
            var decision = cache.Evaluate(Spec("2"));
            Should.Throw<InvalidOperationException>(() =>
            {
                using var run = cache.BeginRun(decision);
                // A file output stays where it is while the target runs (a Ctrl+C or a kill never leaves it missing);
                // a folder output is moved aside, so the target starts from an empty folder.
                root.Read("report.txt").ShouldBe("previous");
                Directory.Exists(root.PathOf("models")).ShouldBeFalse();
                root.Write("report.txt", "half");
                root.Write("models/partial.tmp", "half");
                throw new InvalidOperationException("training diverged");
            });
            ShouldHaveThePreviousOutputs(root);
            File.ReadAllBytes(cache.LockFile.Path).ShouldBe(lockBefore);
            cache.Evaluate(Spec("1")).Kind.ShouldBe(CacheDecisionKind.UpToDate);
        }
    }

    [Fact]
    public void A_file_output_the_run_did_not_rewrite_does_not_commit()
    {
        using var root = WithPreviousRun(out var cache);
        using (cache)
        {
            var decision = cache.Evaluate(Spec("2"));
            using var run = cache.BeginRun(decision);
            root.Write("models/model.zip", "new");
            root.Write("models/extra/info.json", "new");
            var error = Should.Throw<MissingPathException>(() => run.Commit());
            error.Message.ShouldContain("did not write it this run");
            error.Message.ShouldContain("report.txt");
            run.Rollback();
            ShouldHaveThePreviousOutputs(root);
        }
    }

    /// <summary>
    /// A SIGKILL leaves the backup and closes the process's descriptors, which releases its flock. The run's lock is
    /// released here the same way (the handle is closed, nothing else runs), then a second cache instance — a fresh
    /// process — recovers on start.
    /// </summary>
    [Fact]
    public void A_run_whose_process_died_is_recovered_by_the_next_start()
    {
        using var root = WithPreviousRun(out var cache);
        var held = cache.LockTarget("Train");
        cache.BeginRun(cache.Evaluate(Spec("2")));
        root.Write("models/partial.tmp", "half");
        root.Write("report.txt", "half");
        held.Dispose(); // the "death": lock released, transaction neither committed nor rolled back

        using var next = root.Cache();
        next.RecoverInterruptedRuns().ShouldHaveSingleItem().ShouldContain("Train");
        ShouldHaveThePreviousOutputs(root);
        root.Warnings.ShouldContain(w => w.Contains("Train") && w.Contains("put back"));
        next.Evaluate(Spec("1")).Kind.ShouldBe(CacheDecisionKind.UpToDate);
        cache.Dispose();
    }

    /// <summary>
    /// A real process (util-linux flock) holds the target's lock, standing for a live run of another build; its backup
    /// must not be touched. Once that process is killed with SIGKILL the kernel drops the lock and recovery proceeds.
    /// </summary>
    [Fact]
    public void A_backup_of_a_live_process_is_left_alone_until_that_process_is_killed()
    {
        using var root = WithPreviousRun(out var cache);
        using (cache)
        {
            using (cache.LockTarget("Train"))
            {
                cache.BeginRun(cache.Evaluate(Spec("2")));
                root.Write("report.txt", "half");
            }
            var lockPath = root.PathOf(".nuke/temp/locks/Train.lock");
            using var holder = TargetRunTransactionTests.HoldLock(lockPath);
            try
            {
                WaitUntilHeld(lockPath);
                using var other = root.Cache();
                other.RecoverInterruptedRuns().ShouldBeEmpty();
                root.Read("report.txt").ShouldBe("half");

                holder.Kill(); // SIGKILL
                holder.WaitForExit();
                other.RecoverInterruptedRuns().ShouldHaveSingleItem();
                ShouldHaveThePreviousOutputs(root);
            }
            finally
            {
                if (!holder.HasExited)
                    holder.Kill();
            }
        }
    }

    /// <summary>
    /// Starts one process that holds an exclusive flock on the file: bash opens it, util-linux flock locks that open
    /// file, and bash replaces itself with sleep, which keeps the descriptor. Killing that one process frees the lock.
    /// </summary>
    internal static Process HoldLock(string lockPath) =>
        Process.Start(new ProcessStartInfo("bash", ["-c", "exec 9>\"$1\" && flock --exclusive 9 && exec sleep 60", "hold", lockPath]))!;

    internal static void WaitUntilHeld(string lockPath)
    {
        for (var i = 0; i < 400; i++)
        {
            using var probe = InterProcessLock.TryAcquire(lockPath);
            if (probe is null)
                return;
            probe.Dispose();
            Thread.Sleep(25);
        }
        throw new TimeoutException($"no process took {lockPath}");
    }

    [Fact]
    public void Commit_drops_the_backup_and_records_the_new_outputs()
    {
        using var root = WithPreviousRun(out var cache);
        using (cache)
        {
            CacheTestRoot.Execute(cache, Spec("2"), () => Produce(root, "new"));
            root.Read("report.txt").ShouldBe("new");
            Directory.Exists(root.PathOf(".nuke/temp/backup/Train")).ShouldBeFalse();
            var outputs = cache.LockFile.Read()["Train"].Outputs;
            outputs.Select(o => o.Path).ShouldBe(["models", "report.txt"]);
            outputs[0].FileCount.ShouldBe(2);
        }
    }
}

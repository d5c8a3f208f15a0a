using System.Diagnostics;
using MLOps.Pipelines.Internal.Incremental;

namespace MLOps.Pipelines.Tests.Caching;

public class TargetLockTests
{
    static TargetSpec Spec(string name) => CacheTestRoot.Spec(name, ["data/raw.csv"], [$"out/{name}.txt"]);

    /// <summary>Two builds (separate cache instances with their own lock handles) race for one target: it runs once.</summary>
    [Fact]
    public async Task The_same_target_runs_once_the_second_build_waits_and_finds_it_up_to_date()
    {
        using var root = new CacheTestRoot();
        root.Write("data/raw.csv", "raw");
        var runs = 0;
        var kinds = new CacheDecisionKind[2];
        using var firstIsRunning = new ManualResetEventSlim();
        using var secondIsWaiting = new ManualResetEventSlim();

        var first = Task.Run(() =>
        {
            using var cache = root.Cache();
            kinds[0] = CacheTestRoot.Execute(cache, Spec("Train"), () =>
            {
                Interlocked.Increment(ref runs);
                firstIsRunning.Set();
                secondIsWaiting.Wait(TimeSpan.FromSeconds(30));
                root.Write("out/Train.txt", "model");
            }).Kind;
        });
        var second = Task.Run(() =>
        {
            firstIsRunning.Wait(TimeSpan.FromSeconds(30));
            using var cache = root.Cache();
            using var held = cache.LockTarget("Train", onWait: secondIsWaiting.Set);
            kinds[1] = cache.Evaluate(Spec("Train")).Kind;
        });
        await Task.WhenAll(first, second);

        runs.ShouldBe(1);
        secondIsWaiting.IsSet.ShouldBeTrue();
        kinds.ShouldBe([CacheDecisionKind.Run, CacheDecisionKind.UpToDate]);
    }

    [Fact]
    public void Different_targets_do_not_wait_for_each_other()
    {
        using var root = new CacheTestRoot();
        using var a = root.Cache();
        using var b = root.Cache();
        using var held = a.LockTarget("Train");
        var waited = false;
        using (b.LockTarget("Evaluate", onWait: () => waited = true))
            waited.ShouldBeFalse();
        InterProcessLock.TryAcquire(root.PathOf(".nuke/temp/locks/Train.lock")).ShouldBeNull();
    }

    /// <summary>A real other process (util-linux flock, the same flock(2) lock) holds the target; we wait until it is gone.</summary>
    [Fact]
    public async Task A_lock_held_by_another_process_is_waited_for()
    {
        using var root = new CacheTestRoot();
        var lockPath = root.PathOf(".nuke/temp/locks/Train.lock");
        Directory.CreateDirectory(Path.GetDirectoryName(lockPath)!);
        using var holder = TargetRunTransactionTests.HoldLock(lockPath);
        try
        {
            TargetRunTransactionTests.WaitUntilHeld(lockPath);
            using var cache = root.Cache();
            using var cancel = new CancellationTokenSource();
            var waited = false;
            var acquire = Task.Run(() => cache.LockTarget("Train", onWait: () =>
            {
                waited = true;
                holder.Kill();
            }, cancellation: cancel.Token));
            cancel.CancelAfter(TimeSpan.FromSeconds(60)); // a hang fails the test instead of blocking the run
            using var acquired = await acquire;
            waited.ShouldBeTrue();
        }
        finally
        {
            if (!holder.HasExited)
                holder.Kill();
        }
    }
}

using MLOps.Pipelines.Internal.CI.JobState;

namespace MLOps.Pipelines.Tests.CI.JobState;

/// <summary>Job state folders on disk, as two CI jobs in separate copies of a repository would write and read them.</summary>
public sealed class JobStateFolderTests : IDisposable
{
    readonly TemporaryDirectory _upstream = new("job-state-up-");
    readonly TemporaryDirectory _downstream = new("job-state-down-");

    public void Dispose()
    {
        _upstream.Dispose();
        _downstream.Dispose();
    }

    static LockEntry Entry(string fingerprint) => new(fingerprint, "c0de", null, new Dictionary<string, string>(),
        new Dictionary<string, string>(), [], [new ManifestEntry("artifacts/x", 1, new string('c', 32), null)], new Dictionary<string, double>());

    [Fact]
    public void What_one_job_wrote_and_changed_arrives_in_the_next()
    {
        var up = _upstream.Path;
        _upstream.WriteFile("models/churn/registry.json", "{\"versions\":[1]}");
        _upstream.WriteFile("models/flights/registry.json", "{\"versions\":[4]}");
        var upLock = new LockFile(up);
        upLock.Update("Ingest@A", Entry("committed-ingest"));
        var before = JobStateFolder.Snapshot(up, ["models/*/registry.json"]);
        // The job runs: Register@A records an entry and adds a version to one registry.
        upLock.Update("Register@A", Entry("this-run"));
        _upstream.WriteFile("models/churn/registry.json", "{\"versions\":[1,2]}");
        JobStateFolder.Save(up, upLock, ".nuke/temp/job-state/register-a", ["Register@A"], ["models/*/registry.json"], before);

        // Only the changed registry and only the job's own entry travel.
        File.Exists(up / ".nuke/temp/job-state/register-a/files/models/churn/registry.json").ShouldBeTrue();
        File.Exists(up / ".nuke/temp/job-state/register-a/files/models/flights/registry.json").ShouldBeFalse();

        var down = _downstream.Path;
        _downstream.WriteFile("models/churn/registry.json", "{\"versions\":[1]}");
        var downLock = new LockFile(down);
        downLock.Update("Register@A", Entry("committed-register"));
        DirectoryTree.Copy(up / ".nuke/temp/job-state", down / ".nuke/temp/job-state");

        var summary = JobStateFolder.Restore(down, downLock, [".nuke/temp/job-state/register-a"]);

        summary.ShouldBe("job state: merged 1 lock entries and 1 files from 1 upstream jobs");
        downLock.Read()["Register@A"].Fingerprint.ShouldBe("this-run");
        File.ReadAllText(down / "models/churn/registry.json").ShouldBe("{\"versions\":[1,2]}");
    }

    [Fact]
    public void Two_jobs_changing_one_file_differently_stop_the_merge_before_anything_is_written()
    {
        var down = _downstream.Path;
        _downstream.WriteFile("a/files/models/churn/registry.json", "one");
        _downstream.WriteFile("a/pipelines.lock", LockFile.Serialize(new Dictionary<string, LockEntry>()));
        _downstream.WriteFile("b/files/models/churn/registry.json", "two");
        _downstream.WriteFile("b/pipelines.lock", LockFile.Serialize(new Dictionary<string, LockEntry> { ["X"] = Entry("x") }));
        var lockFile = new LockFile(down);

        var error = Should.Throw<InvalidDataException>(() => JobStateFolder.Restore(down, lockFile, ["a", "b"]));

        error.Message.ShouldContain("two upstream jobs changed models/churn/registry.json differently");
        File.Exists(lockFile.Path).ShouldBeFalse();
        File.Exists(down / "models/churn/registry.json").ShouldBeFalse();
    }

    [Fact]
    public void A_job_that_changed_the_copy_an_upstream_job_handed_it_supersedes_that_job_where_both_meet()
    {
        // Register's job adds version 2; Retrain's job, after it, takes that registry and adds version 3; the commit-back
        // job merges both folders and must end with version 3, not call the two a conflict.
        var root = _upstream.Path;
        const string Glob = "models/*/registry.json";
        _upstream.WriteFile("models/churn/registry.json", "{\"versions\":[1]}");
        var lockFile = new LockFile(root);
        var before = JobStateFolder.Snapshot(root, [Glob]);
        _upstream.WriteFile("models/churn/registry.json", "{\"versions\":[1,2]}");
        JobStateFolder.Save(root, lockFile, "state/register", [], [Glob], before);

        _downstream.WriteFile("models/churn/registry.json", "{\"versions\":[1]}");
        DirectoryTree.Copy(root / "state", _downstream.Path / "state");
        var down = _downstream.Path;
        var downLock = new LockFile(down);
        JobStateFolder.Restore(down, downLock, ["state/register"]);
        var downBefore = JobStateFolder.Snapshot(down, [Glob]);
        _downstream.WriteFile("models/churn/registry.json", "{\"versions\":[1,2,3]}");
        JobStateFolder.Save(down, downLock, "state/retrain", [], [Glob], downBefore);

        using var commitBack = new TemporaryDirectory("job-state-commit-");
        commitBack.WriteFile("models/churn/registry.json", "{\"versions\":[1]}");
        DirectoryTree.Copy(down / "state", commitBack.Path / "state");
        // Either order on the command line (the commit-back job lists the folders alphabetically).
        foreach (var order in new[] { new[] { "state/register", "state/retrain" }, ["state/retrain", "state/register"] })
        {
            JobStateFolder.Restore(commitBack.Path, new LockFile(commitBack.Path), order);
            File.ReadAllText(commitBack.Path / "models/churn/registry.json").ShouldBe("{\"versions\":[1,2,3]}");
        }

        // A sibling that started from version 1 as well still conflicts with Register's job.
        commitBack.WriteFile("state/sibling/files/models/churn/registry.json", "{\"versions\":[1,4]}");
        commitBack.WriteFile("state/sibling/bases.json", File.ReadAllText(root / "state/register/bases.json"));
        commitBack.WriteFile("state/sibling/pipelines.lock", LockFile.Serialize(new Dictionary<string, LockEntry>()));
        Should.Throw<InvalidDataException>(() => JobStateFolder.Restore(commitBack.Path, new LockFile(commitBack.Path), ["state/register", "state/sibling"]))
            .Message.ShouldContain("two upstream jobs changed models/churn/registry.json differently, neither starting from the other's");
    }

    [Fact]
    public void A_missing_upstream_folder_is_named()
    {
        var down = _downstream.Path;

        var error = Should.Throw<InvalidDataException>(() => JobStateFolder.Restore(down, new LockFile(down), [".nuke/temp/job-state/train-a"]));

        error.Message.ShouldStartWith(".nuke/temp/job-state/train-a/pipelines.lock: lock fragment missing");
    }
}

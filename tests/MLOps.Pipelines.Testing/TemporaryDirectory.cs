namespace MLOps.Pipelines.Testing;

/// <summary>
/// A fresh folder under the system temp folder for one test or fixture, deleted on dispose: every temporary folder of
/// the tests is made and removed here. With <c>MLOPS_KEEP_TEST_FOLDERS=1</c> the folders stay, to look at after a failure.
/// </summary>
public sealed class TemporaryDirectory : IDisposable
{
    /// <summary>Set to 1 to keep every temporary folder the tests make (each test's folder is named by its prefix).</summary>
    public const string KeepVariable = "MLOPS_KEEP_TEST_FOLDERS";

    /// <param name="prefix">The folder's name before a random suffix, e.g. <c>mlops-churn-</c>: says which test made it.</param>
    public TemporaryDirectory(string prefix = "mlops-tests-")
    {
        Path = AbsolutePath.Create(System.IO.Path.Combine(System.IO.Path.GetTempPath(), prefix + Guid.NewGuid().ToString("N")[..12]));
        Path.CreateDirectory();
    }

    public AbsolutePath Path { get; }

    /// <summary>The full path of <paramref name="relativePath"/> inside the folder.</summary>
    public string this[string relativePath] => System.IO.Path.Combine(Path, relativePath);

    public static implicit operator AbsolutePath(TemporaryDirectory directory) => directory.Path;

    /// <summary>
    /// A folder under the temp folder that outlives the test run, for what is worth keeping between runs (a build
    /// output keyed by the content it was built from); created when missing, never deleted by the tests.
    /// </summary>
    public static AbsolutePath Reused(string name) =>
        AbsolutePath.Create(System.IO.Path.Combine(System.IO.Path.GetTempPath(), name)).CreateDirectory();

    /// <summary>A folder that lives as long as the test process (a sample file that many tests read); deleted when the process exits.</summary>
    public static TemporaryDirectory ForProcess(string prefix)
    {
        var directory = new TemporaryDirectory(prefix);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => directory.Dispose();
        return directory;
    }

    public AbsolutePath CreateDirectory(string relativePath) => (Path / relativePath).CreateDirectory();

    public AbsolutePath WriteFile(string relativePath, string content)
    {
        var file = Path / relativePath;
        file.Parent!.CreateDirectory();
        File.WriteAllText(file, content);
        return file;
    }

    /// <summary>Copies <paramref name="source"/> to <paramref name="relativePath"/> inside the folder.</summary>
    public AbsolutePath CopyFile(string source, string relativePath)
    {
        var file = Path / relativePath;
        file.Parent!.CreateDirectory();
        File.Copy(source, file);
        return file;
    }

    public override string ToString() => Path;

    public void Dispose() => Delete(Path);

    /// <summary>Deletes a folder the tests made, unless <see cref="KeepVariable"/> asks to keep it.</summary>
    public static void Delete(string path)
    {
        if (Environment.GetEnvironmentVariable(KeepVariable) == "1") return;
        try { Directory.Delete(path, recursive: true); }
        catch (DirectoryNotFoundException) { }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { /* a lingering child process: the system cleans its temp folder */ }
    }
}

namespace MLOps.Pipelines.Testing;

/// <summary>A fresh folder under the system temp folder for one test or fixture, deleted on dispose.</summary>
public sealed class TemporaryDirectory : IDisposable
{
    public TemporaryDirectory(string prefix = "mlops-tests")
    {
        Path = AbsolutePath.Create(System.IO.Path.Combine(System.IO.Path.GetTempPath(), prefix + "-" + Guid.NewGuid().ToString("N")));
        Path.CreateDirectory();
    }

    public AbsolutePath Path { get; }

    /// <summary>The full path of <paramref name="relativePath"/> inside the folder.</summary>
    public string this[string relativePath] => System.IO.Path.Combine(Path, relativePath);

    public static implicit operator AbsolutePath(TemporaryDirectory directory) => directory.Path;

    public AbsolutePath WriteFile(string relativePath, string content)
    {
        var file = Path / relativePath;
        file.Parent!.CreateDirectory();
        File.WriteAllText(file, content);
        return file;
    }

    public override string ToString() => Path;

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { /* a lingering child process: the system cleans its temp folder */ }
    }
}

using MLOps.Pipelines;

namespace MLOps.Pipelines.ML.Tests.Registry;

/// <summary>A fresh directory under the system temp folder, deleted when the test ends.</summary>
internal sealed class TemporaryDirectory : IDisposable
{
    public TemporaryDirectory()
    {
        Path = AbsolutePath.Create(System.IO.Path.Combine(System.IO.Path.GetTempPath(), "mlops-ml-tests", Guid.NewGuid().ToString("N")));
        Path.CreateDirectory();
    }

    public AbsolutePath Path { get; }

    public static implicit operator AbsolutePath(TemporaryDirectory directory) => directory.Path;

    public AbsolutePath WriteFile(string relativePath, string content)
    {
        var file = Path / relativePath;
        file.Parent!.CreateDirectory();
        File.WriteAllText(file, content);
        return file;
    }

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); }
        catch (IOException) { /* a lingering child process; the temp folder is cleaned eventually */ }
    }
}

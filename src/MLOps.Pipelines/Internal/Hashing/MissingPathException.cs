namespace MLOps.Pipelines.Internal.Hashing;

/// <summary>A declared input (or output at commit) that is not there; the message names the target, the path and the fix.</summary>
internal sealed class MissingPathException(string message, string path) : FileNotFoundException(message, path)
{
    public string DeclaredPath { get; } = path;
}

namespace MLOps.Pipelines.ML.Data;

/// <summary>
/// An output directory written in a sibling staging folder and swapped in only on <see cref="Commit"/>, so a
/// stage that fails half-way leaves the previous outputs exactly as they were.
/// </summary>
internal sealed class StagedDirectory : IDisposable
{
    private readonly string target;
    private bool committed;

    public StagedDirectory(string target)
    {
        this.target = Path.GetFullPath(target);
        var parent = Path.GetDirectoryName(this.target) ?? throw new ArgumentException($"{target}: an output directory needs a parent", nameof(target));
        Directory.CreateDirectory(parent);
        Staging = Path.Combine(parent, $".{Path.GetFileName(this.target)}.staging-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Staging);
    }

    /// <summary>Where to write the outputs until they are committed.</summary>
    public string Staging { get; }

    public void Commit()
    {
        string? previous = null;
        if (Directory.Exists(target))
        {
            previous = Path.Combine(Path.GetDirectoryName(target)!, $".{Path.GetFileName(target)}.previous-{Guid.NewGuid():N}");
            Directory.Move(target, previous);
        }
        try
        {
            Directory.Move(Staging, target);
        }
        catch
        {
            if (previous is not null) Directory.Move(previous, target);
            throw;
        }
        committed = true;
        if (previous is not null) Directory.Delete(previous, recursive: true);
    }

    public void Dispose()
    {
        if (!committed && Directory.Exists(Staging)) Directory.Delete(Staging, recursive: true);
    }
}


namespace MLOps.Pipelines.Internal.CI.JobState;

/// <summary>
/// Merges the lock entries upstream CI jobs recorded (each job's fragment holds the entries of the targets it ran)
/// into a job's own lock, so that the job finds those targets up to date and reads this run's lineage. Pure: text in,
/// entries out. A fragment that is missing or damaged, or two fragments that disagree about a target, stop the merge
/// with an <see cref="InvalidDataException"/> naming the fragment(s) and the fix; nothing is half merged.
/// </summary>
internal static class LockFragmentMerge
{
    public static IReadOnlyDictionary<string, LockEntry> Merge(IReadOnlyDictionary<string, LockEntry> baseEntries, IReadOnlyList<LockFragment> fragments)
    {
        var merged = new Dictionary<string, LockEntry>(baseEntries, StringComparer.Ordinal);
        var from = new Dictionary<string, (string Source, string Canonical)>(StringComparer.Ordinal);
        foreach (var fragment in fragments)
        {
            if (fragment.Text is null)
                throw new InvalidDataException(
                    $"{fragment.Source}: lock fragment missing; the upstream job that should have written it uploaded no job state. Re-run the pipeline from that job (its artifacts may have expired).");
            var entries = LockFile.Parse(fragment.Text, fragment.Source);
            foreach (var (target, entry) in entries)
            {
                var canonical = Canonical(target, entry);
                if (from.TryGetValue(target, out var earlier))
                {
                    if (earlier.Canonical != canonical)
                        throw new InvalidDataException(
                            $"{fragment.Source}: lock fragment conflicts with {earlier.Source}: both record target '{target}' with different entries (fingerprint {Short(Fingerprint(earlier.Canonical))} vs {Short(entry.Fingerprint)}). Run '{target}' in one job only (check JobGroups), then re-run the pipeline.");
                    continue;
                }
                from[target] = (fragment.Source, canonical);
                merged[target] = entry;
            }
        }
        return merged;
    }

    /// <summary>The entries of <paramref name="targets"/> as a lock fragment (the lock file's own format); targets without an entry are left out.</summary>
    public static string Fragment(IReadOnlyDictionary<string, LockEntry> entries, IEnumerable<string> targets) =>
        LockFile.Serialize(targets.Distinct(StringComparer.Ordinal)
            .Where(entries.ContainsKey)
            .ToDictionary(t => t, t => entries[t], StringComparer.Ordinal));

    static string Canonical(string target, LockEntry entry) =>
        LockFile.Serialize(new Dictionary<string, LockEntry>(StringComparer.Ordinal) { [target] = entry });

    static string Fingerprint(string canonical) =>
        LockFile.Parse(canonical, "(fragment)").Values.Single().Fingerprint;

    static string Short(string fingerprint) => fingerprint.Length > 12 ? fingerprint[..12] : fingerprint;
}

using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace MLOps.Pipelines.ML.Registry;

/// <summary>
/// The model registry of one model: reviewable metadata in <c>models/&lt;model&gt;/registry.json</c> (committed to git),
/// binaries in an <see cref="IModelBlobStore"/> by SHA-256. Every change runs under an inter-process lock on
/// <c>registry.lock</c> and replaces the file atomically (temporary file + rename), so concurrent registrations
/// from several processes each get their own version and none is lost.
/// </summary>
public sealed partial class ModelRegistry
{
    public const string FileName = "registry.json";
    public const string LockFileName = "registry.lock";

    readonly IModelBlobStore _blobs;
    readonly ModelRegistryOptions _options;

    /// <param name="directory">The model's registry folder, e.g. <c>&lt;root&gt;/models/flight-delays</c>.</param>
    public ModelRegistry(AbsolutePath directory, IModelBlobStore blobs, ModelRegistryOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentNullException.ThrowIfNull(blobs);
        Directory = directory;
        _blobs = blobs;
        _options = options ?? new ModelRegistryOptions();
    }

    /// <summary>The registry of <paramref name="modelName"/> in a repository: <c>&lt;root&gt;/models/&lt;modelName&gt;</c>.</summary>
    public static ModelRegistry ForModel(AbsolutePath rootDirectory, string modelName, IModelBlobStore blobs, ModelRegistryOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(rootDirectory);
        if (modelName is null || !ModelNamePattern().IsMatch(modelName))
            throw new ArgumentException(
                $"Model name '{modelName}' is not usable as a folder name: use lowercase letters, digits, '.', '_' and '-' (e.g. flight-delays).",
                nameof(modelName));
        return new ModelRegistry(rootDirectory / "models" / modelName, blobs, options);
    }

    public AbsolutePath Directory { get; }
    public AbsolutePath File => Directory / FileName;
    public string ModelName => Directory.Name;

    // ---- registration and alias moves (under the lock) ----

    /// <summary>
    /// Puts a registered version's binary back into this machine's blob store (a fresh clone has the registry's
    /// metadata, not its binaries): <paramref name="modelFile"/> must have the version's SHA-256, which is checked.
    /// When the store already holds the version's blob nothing is read or written (a Register of a model it knows,
    /// on every forced run, would otherwise hash and copy the binary again).
    /// </summary>
    public void RestoreBinary(int version, AbsolutePath modelFile)
    {
        ArgumentNullException.ThrowIfNull(modelFile);
        var entry = Get(version);
        if (_blobs.Contains(entry.ModelSha256, entry.ModelBytes)) return;
        var sha256 = _blobs.Put(modelFile);
        if (sha256 != entry.ModelSha256)
            throw new ModelRegistryException($"{modelFile} has sha256 {sha256}, not the {entry.ModelSha256} of {ModelName} v{version} in {File}; it is another model.");
    }

    /// <summary>Stores the model binary and records a new version (one past the highest so far).</summary>
    public ModelVersion Register(ModelRegistration registration)
    {
        ArgumentNullException.ThrowIfNull(registration);
        Validate(registration);
        var sha256 = _blobs.Put(registration.ModelFile);
        if (!Sha256Digest.IsValid(sha256))
            throw new ModelRegistryException($"The blob store returned '{sha256}' for '{registration.ModelFile}', which is not a SHA-256 digest.");
        var bytes = new FileInfo(registration.ModelFile).Length;
        var location = _blobs.LocationOf(sha256);
        Directory.CreateDirectory();
        var commit = registration.GitCommit ?? GitCommit.Read(Directory);
        var user = User();

        var registered = Update(document =>
        {
            var version = new ModelVersion(
                document.NextVersion,
                registration.ModelFile.Name,
                sha256,
                bytes,
                Sorted(registration.DataDigests),
                registration.CodeFingerprint,
                Sorted(registration.Parameters),
                Sorted(registration.Metrics),
                commit,
                Now(),
                user)
            {
                ModelLocation = location,
            };
            return (document.WithVersion(version), version);
        });
        RegistryAuditEvents.Registration(ModelName, registered);
        return registered;
    }

    /// <summary>Points <paramref name="alias"/> at <paramref name="version"/>; returns the recorded move, or null when it already pointed there.</summary>
    public AliasMove? SetAlias(string alias, int version, string why)
    {
        ValidateAlias(alias);
        ValidateWhy(why);
        var moved = Update<AliasMove?>(document =>
        {
            RequireVersion(document, version);
            if (document.Aliases.TryGetValue(alias, out var current) && current == version)
                return (null, null);
            var move = Move(document, alias, version, AliasMoveKind.Set, why);
            return (document.WithMove(move), move);
        });
        if (moved is not null) RegistryAuditEvents.Move(ModelName, moved);
        return moved;
    }

    /// <summary>
    /// Moves <c>champion</c> to the version <c>challenger</c> points at when the quality gate passed and the challenger
    /// beats the champion on the policy's metric by at least its margin (or when there is no champion yet).
    /// The reason is recorded in the alias history, e.g. "auc 0.851 > champion v2 0.842".
    /// </summary>
    public PromotionDecision Promote(bool qualityGatePassed, PromotionPolicy? policy = null)
    {
        policy ??= PromotionPolicy.Default;
        if (string.IsNullOrWhiteSpace(policy.Metric))
            throw new ArgumentException("The promotion policy needs a metric name, e.g. \"auc\".", nameof(policy));
        if (!double.IsFinite(policy.Margin) || policy.Margin < 0)
            throw new ArgumentException($"The promotion margin must be a finite number ≥ 0, not {policy.Margin}.", nameof(policy));

        var decision = Update(document =>
        {
            if (!document.Aliases.TryGetValue(ModelAliases.Challenger, out var challengerVersion))
                throw new ModelRegistryException(
                    $"{File}: cannot promote: no '{ModelAliases.Challenger}' alias is set. " +
                    $"Call SetAlias(\"{ModelAliases.Challenger}\", version, why) after registering the candidate.");
            var challenger = RequireVersion(document, challengerVersion);
            var challengerValue = RequireMetric(challenger, policy.Metric);

            if (!qualityGatePassed)
                return (null, new PromotionDecision(false, $"challenger v{challenger.Version} not promoted: the quality gate failed", null));

            if (!document.Aliases.TryGetValue(ModelAliases.Champion, out var championVersion))
            {
                var first = Move(document, ModelAliases.Champion, challenger.Version, AliasMoveKind.Promote,
                    $"{policy.Metric} {Format(challengerValue)}, no champion before");
                return (document.WithMove(first), new PromotionDecision(true, first.Why, first));
            }
            if (championVersion == challenger.Version)
                return (null, new PromotionDecision(false, $"challenger v{challenger.Version} is already the champion", null));

            var champion = RequireVersion(document, championVersion);
            var championValue = RequireMetric(champion, policy.Metric);
            var improvement = policy.HigherIsBetter ? challengerValue - championValue : championValue - challengerValue;
            var better = policy.HigherIsBetter ? ">" : "<";
            var marginText = policy.Margin > 0 ? $" by at least {Format(policy.Margin)}" : "";
            if (improvement > 0 && improvement >= policy.Margin)
            {
                var move = Move(document, ModelAliases.Champion, challenger.Version, AliasMoveKind.Promote,
                    $"{policy.Metric} {Format(challengerValue)} {better} champion v{champion.Version} {Format(championValue)}{marginText}");
                return (document.WithMove(move), new PromotionDecision(true, move.Why, move));
            }
            return (null, new PromotionDecision(false,
                $"challenger v{challenger.Version} not promoted: {policy.Metric} {Format(challengerValue)} does not beat " +
                $"champion v{champion.Version} {Format(championValue)}{marginText}", null));
        });
        if (decision.Move is { } promoted) RegistryAuditEvents.Move(ModelName, promoted);
        else RegistryAuditEvents.Declined(ModelName, decision);
        return decision;
    }

    /// <summary>
    /// Moves <paramref name="alias"/> back to the version it held before its current one. History is a stack:
    /// rolling back twice walks back two versions.
    /// </summary>
    public AliasMove Rollback(string why, string alias = ModelAliases.Champion)
    {
        ValidateAlias(alias);
        ValidateWhy(why);
        var rolledBack = Update(document =>
        {
            if (!document.Aliases.TryGetValue(alias, out var current))
                throw new ModelRegistryException($"{File}: cannot roll back '{alias}': it has never been set.");
            var tenures = document.Tenures(alias);
            if (tenures.Count < 2)
                throw new ModelRegistryException(
                    $"{File}: cannot roll back '{alias}': v{current} is the first version it has held, there is no previous {alias}. " +
                    $"Point it at another version with SetAlias(\"{alias}\", version, why) instead.");
            var move = Move(document, alias, tenures[^2], AliasMoveKind.Rollback, why);
            return (document.WithMove(move), move);
        });
        RegistryAuditEvents.Move(ModelName, rolledBack);
        return rolledBack;
    }

    // ---- reading (no lock: the file is only ever replaced whole) ----

    /// <summary>A version by alias ("champion"), by number ("3") or by tag ("v3").</summary>
    public ModelVersion Get(string aliasOrVersion)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(aliasOrVersion);
        var document = Load();
        var text = aliasOrVersion.Trim();
        var number = text.StartsWith('v') ? text[1..] : text;
        if (int.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var version))
            return RequireVersion(document, version);
        if (document.Aliases.TryGetValue(text, out var target))
            return RequireVersion(document, target);
        var known = document.Aliases.Count == 0
            ? "no alias is set yet"
            : "set aliases: " + string.Join(", ", document.Aliases.Select(a => $"{a.Key} → v{a.Value}"));
        throw new ModelRegistryException($"{File}: unknown alias '{text}'; {known}.");
    }

    public ModelVersion Get(int version) => RequireVersion(Load(), version);

    public IReadOnlyList<ModelVersion> Versions() => Load().Versions;

    public IReadOnlyDictionary<string, int> Aliases() => Load().Aliases;

    /// <summary>Every alias move in order, or only those of <paramref name="alias"/>.</summary>
    public IReadOnlyList<AliasMove> History(string? alias = null) =>
        [.. Load().History.Where(m => alias is null || m.Alias == alias)];

    /// <summary>
    /// The versions <paramref name="alias"/> has held, as a stack (a set or promotion pushes, a rollback pops): the last is
    /// the current one, the one before it is where a rollback goes. Empty when the alias was never set.
    /// </summary>
    public IReadOnlyList<int> Tenures(string alias) => Load().Tenures(alias);

    /// <summary>The aliases currently pointing at <paramref name="version"/>, sorted (for lineage in reports).</summary>
    public IReadOnlyList<string> AliasesOf(int version) => Load().AliasesOf(version);

    /// <summary>
    /// Copies the binary of <paramref name="version"/> to <paramref name="destination"/> from the model store, verified
    /// against its SHA-256 (a store backed by a shared one fetches it from there on a machine that never saw it).
    /// A missing or damaged blob is a one-line <see cref="ModelRegistryException"/> naming the model, version, digest and store.
    /// </summary>
    public AbsolutePath Download(int version, AbsolutePath destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        var entry = Get(version);
        var what = $"{ModelName} v{version} (sha256 {entry.ModelSha256})";
        bool found;
        try
        {
            found = _blobs.TryGet(entry.ModelSha256, destination);
        }
        catch (CorruptModelBlobException e)
        {
            throw new CorruptModelBlobException($"{what} from the model store {_blobs.Location}", e);
        }
        catch (ModelRegistryException e)
        {
            throw new ModelRegistryException($"{what} could not be fetched from the model store {_blobs.Location}: {e.Message}", e);
        }
        if (!found)
            throw new ModelRegistryException(
                $"{what} is not in the model store {_blobs.Location}" +
                (entry.ModelLocation is { } recorded && !recorded.StartsWith(_blobs.Location, StringComparison.Ordinal)
                    ? $"; {File} records it at {recorded}: name that store (--model-store)"
                    : $"; {File} records it: it was registered on another machine, the store was cleaned or the blob deleted; " +
                      "name the shared store it was registered to (--model-store), or re-run the training that made it") + ".");
        return destination;
    }

    /// <summary>Downloads the version an alias or tag names (see <see cref="Get(string)"/>).</summary>
    public AbsolutePath Download(string aliasOrVersion, AbsolutePath destination) => Download(Get(aliasOrVersion).Version, destination);

    // ---- the file ----

    RegistryDocument Load()
    {
        string text;
        try
        {
            text = System.IO.File.ReadAllText(File, Encoding.UTF8);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return RegistryDocument.Empty(ModelName);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A folder, a link loop or an I/O error in the file's place: say which file and how to get it back.
            throw new ModelRegistryException(
                $"{File}: cannot be read as a file ({e.Message.ReplaceLineEndings(" ")}). Put the file back: restore it from git " +
                "(git checkout -- <file>), or delete what is in its place if the model has no registered version yet.", e);
        }
        var document = RegistryJson.Read(text, File);
        if (document.Model != ModelName)
            throw new ModelRegistryException(
                $"{File}: model is '{document.Model}', but this is the registry of '{ModelName}' (its folder's name). " +
                $"Set \"model\" to \"{ModelName}\", or restore the file from git.");
        foreach (var alias in document.Aliases.Keys.Where(a => !AliasPattern().IsMatch(a)))
            throw new ModelRegistryException(
                $"{File}: alias '{alias}' is not a valid alias name (lowercase letters, digits and '-', starting with a letter). " +
                "Rename or remove it, or restore the file from git.");
        return document;
    }

    /// <summary>Read, change and write under the lock. A change returning a null document leaves the file as it is.</summary>
    T Update<T>(Func<RegistryDocument, (RegistryDocument? Next, T Result)> change)
    {
        Directory.CreateDirectory();
        using var _ = RegistryFileLock.Acquire(Directory / LockFileName, _options.LockTimeout);
        var (next, result) = change(Load());
        if (next is not null)
            Save(next);
        return result;
    }

    // rename(2): readers see the old file or the new one, never a mix.
    void Save(RegistryDocument document) => AtomicFile.WriteAllText(File, RegistryJson.Write(document));

    // ---- rules ----

    AliasMove Move(RegistryDocument document, string alias, int to, AliasMoveKind kind, string why) =>
        new(alias, document.Aliases.TryGetValue(alias, out var from) ? from : null, to, kind, User(), Now(), why);

    ModelVersion RequireVersion(RegistryDocument document, int version) =>
        document.Find(version) ?? throw new ModelRegistryException(
            $"{File}: version {version} is not registered; " +
            (document.Versions.Count == 0
                ? "no version is registered yet."
                : $"registered versions: {string.Join(", ", document.Versions.Select(v => v.Version))}."));

    double RequireMetric(ModelVersion version, string metric) =>
        version.Metrics.TryGetValue(metric, out var value)
            ? value
            : throw new ModelRegistryException(
                $"{File}: v{version.Version} has no metric '{metric}' to compare; its metrics: " +
                $"{(version.Metrics.Count == 0 ? "none" : string.Join(", ", version.Metrics.Keys))}. Register it with that metric or change the policy's metric.");

    static void Validate(ModelRegistration registration)
    {
        ArgumentNullException.ThrowIfNull(registration.ModelFile);
        if (!registration.ModelFile.FileExists())
            throw new ModelRegistryException($"Cannot register '{registration.ModelFile}': the model file does not exist. Run the training target first.");
        if (string.IsNullOrWhiteSpace(registration.CodeFingerprint))
            throw new ArgumentException("A registration needs the code fingerprint of the training target.", nameof(registration));
        RequireKeys(registration.DataDigests, "data digest");
        RequireKeys(registration.Parameters, "parameter");
        RequireKeys(registration.Metrics, "metric");
        foreach (var (name, value) in registration.Metrics.Where(m => !double.IsFinite(m.Value)))
            throw new ArgumentException($"Metric '{name}' is {value}; the registry records finite numbers only.", nameof(registration));
    }

    static void RequireKeys<T>(IReadOnlyDictionary<string, T> map, string what)
    {
        ArgumentNullException.ThrowIfNull(map, what);
        if (map.Keys.Any(string.IsNullOrWhiteSpace))
            throw new ArgumentException($"Every {what} needs a non-empty name.", nameof(map));
    }

    static void ValidateAlias(string alias)
    {
        if (alias is null || !AliasPattern().IsMatch(alias))
            throw new ArgumentException($"Alias '{alias}' is not valid: use lowercase letters, digits and '-', starting with a letter (e.g. champion).", nameof(alias));
    }

    static void ValidateWhy(string why)
    {
        if (string.IsNullOrWhiteSpace(why))
            throw new ArgumentException("Say why the alias moves: the reason is kept in the registry's history for review.", nameof(why));
    }

    static SortedDictionary<string, T> Sorted<T>(IReadOnlyDictionary<string, T> map) => new(map.ToDictionary(), StringComparer.Ordinal);

    DateTimeOffset Now()
    {
        // The file keeps whole seconds; truncate here so what Register returns equals what Get reads back.
        var now = _options.Clock.GetUtcNow();
        return new DateTimeOffset(now.UtcTicks - now.UtcTicks % TimeSpan.TicksPerSecond, TimeSpan.Zero);
    }

    string User()
    {
        if (!string.IsNullOrWhiteSpace(_options.User))
            return _options.User;
        // On CI the runner's account says little; the platform names the person who started the run.
        foreach (var variable in new[] { "GITHUB_ACTOR", "GITLAB_USER_LOGIN", "USER", "USERNAME" })
            if (Environment.GetEnvironmentVariable(variable) is { Length: > 0 } name)
                return name;
        return Environment.UserName;
    }

    static string Format(double value) => value.ToString("G6", CultureInfo.InvariantCulture);

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]*$")]
    private static partial Regex ModelNamePattern();

    [GeneratedRegex("^[a-z][a-z0-9-]*$")]
    private static partial Regex AliasPattern();
}

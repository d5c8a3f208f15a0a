using System.Security.Cryptography;
using System.Text.Json;

namespace MLOps.Pipelines.Build.Tests;

/// <summary>
/// A temporary repository with the real CustomerChurn pipeline built once (Report, then Deploy to staging) on the real
/// telco data, with a small model; each test takes its own copy, so runs never share state.
/// </summary>
public sealed class ChurnRepository : IAsyncLifetime
{
    /// <summary>A small, single-threaded model: seconds per training on an idle machine.</summary>
    public static readonly string[] Churn = ["--trees", "20", "--leaves", "8", "--threads", "1"];

    /// <summary>The CustomerChurn instance of a stage family: <c>Train</c> → <c>Train@CustomerChurn</c>.</summary>
    public static string Of(string family) => family + "@CustomerChurn";

    public string Root { get; } = NewRoot("mlops-churn-seed-");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Path.Combine(Root, ".nuke"));
        Directory.CreateDirectory(Path.Combine(Root, "data"));
        File.Copy(Path.Combine(BuildProgram.RepositoryRoot, "data", "telco-churn.csv"), Path.Combine(Root, "data", "telco-churn.csv"));
        var (exit, output) = await BuildProgram.RunAsync(Root, [Of("Report"), Of("Deploy"), "--deploy-environment", "staging", .. Churn]);
        exit.ShouldBe(0, output);
    }

    public Task DisposeAsync()
    {
        Delete(Root);
        return Task.CompletedTask;
    }

    /// <summary>A fresh copy of the built repository (outputs, lock, store, registry and deployment included).</summary>
    public string Copy()
    {
        var copy = NewRoot("mlops-churn-");
        foreach (var file in Directory.EnumerateFiles(Root, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(Root, file);
            if (relative.StartsWith(Path.Combine(".nuke", "temp", "locks"), StringComparison.Ordinal)) continue;
            var target = Path.Combine(copy, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
        return copy;
    }

    public static string ModelFile(string root) => Path.Combine(root, "artifacts", "customer-churn", "model", "model.zip");
    public static string Receipt(string root) => Path.Combine(root, "artifacts", "customer-churn", "registration.json");
    public static string Registry(string root) => Path.Combine(root, "models", "customer-churn", "registry.json");
    public static string Deployment(string root) => Path.Combine(root, "artifacts", "deployments", "staging", "customer-churn");

    public static string Sha256(string file) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(file)));

    /// <summary>(version, model sha256) of every version registry.json holds.</summary>
    public static IReadOnlySet<(int Version, string Sha256)> RegisteredVersions(string root)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Registry(root)));
        return document.RootElement.GetProperty("versions").EnumerateArray()
            .Select(v => (v.GetProperty("version").GetInt32(), v.GetProperty("modelSha256").GetString()!)).ToHashSet();
    }

    /// <summary>(version, model sha256) the receipt names.</summary>
    public static (int Version, string Sha256) ReceiptVersion(string root)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Receipt(root)));
        return (document.RootElement.GetProperty("version").GetInt32(), document.RootElement.GetProperty("model_sha256").GetString()!);
    }

    public static void Delete(string root)
    {
        try { Directory.Delete(root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    static string NewRoot(string prefix) => Path.Combine(Path.GetTempPath(), prefix + Guid.NewGuid().ToString("N")[..8]);
}

using System.Diagnostics;
using System.Globalization;
using MLOps.Pipelines.Internal.Fingerprints;
using MLOps.Pipelines.Internal.Incremental;
using Xunit.Abstractions;

namespace MLOps.Pipelines.Tests.Fingerprints;

/// <summary>
/// Reports what a code fingerprint costs, cold (fresh fingerprinter) and warm (analyses cached). Timings are
/// printed, never asserted; what is asserted is that the cache gives the very same fingerprints.
/// </summary>
public class CodeFingerprintCostTests(ITestOutputHelper output)
{
    [Fact]
    public void Sample_build_targets_cost_little_once_warm_and_the_cache_changes_nothing()
    {
        using var build = new CompiledBuild(SampleBuildSource.Original);
        var roots = build.TargetNames.ToDictionary(target => target, build.Roots);

        var cold = Measure(build.Fingerprinter, roots);
        var warm = Measure(build.Fingerprinter, roots);

        foreach (var target in roots.Keys)
            warm[target].Fingerprint.Hash.ShouldBe(cold[target].Fingerprint.Hash);
        foreach (var (target, (fingerprint, elapsed)) in cold)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{target,-16} methods {fingerprint.MethodsReached.Count,3}  cold {elapsed.TotalMilliseconds,8:F3} ms  warm {warm[target].Elapsed.TotalMilliseconds,8:F3} ms"));
        }
    }

    [Fact]
    public void The_engines_own_fingerprinter_is_a_real_call_graph_with_a_stable_fingerprint()
    {
        var compute = typeof(CodeFingerprinter).GetMethod(nameof(CodeFingerprinter.Compute))!;
        var fingerprinter = new CodeFingerprinter([typeof(CodeFingerprinter).Assembly], _ => false);

        var start = Stopwatch.GetTimestamp();
        var cold = fingerprinter.Compute([compute]);
        var coldElapsed = Stopwatch.GetElapsedTime(start);

        const int Rounds = 200;
        start = Stopwatch.GetTimestamp();
        var warm = cold;
        for (var i = 0; i < Rounds; i++)
            warm = fingerprinter.Compute([compute]);
        var warmElapsed = Stopwatch.GetElapsedTime(start) / Rounds;

        var fresh = new CodeFingerprinter([typeof(CodeFingerprinter).Assembly], _ => false).Compute([compute]);

        warm.Hash.ShouldBe(cold.Hash);
        fresh.Hash.ShouldBe(cold.Hash);
        cold.MethodsReached.ShouldContain(name => name.Contains("MethodAnalyzer+BodyScan::Instructions("));
        cold.MethodsReached.ShouldContain(name => name.Contains("CallSiteSignatureText::TypeSignature("));
        cold.MethodsReached.ShouldNotContain(name => name.StartsWith("System.", StringComparison.Ordinal));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"engine CodeFingerprinter.Compute: {cold.MethodsReached.Count} methods, cold {coldElapsed.TotalMilliseconds:F1} ms, warm {warmElapsed.TotalMilliseconds:F3} ms"));
    }

    private static Dictionary<string, (CodeFingerprint Fingerprint, TimeSpan Elapsed)> Measure(
        CodeFingerprinter fingerprinter, Dictionary<string, IReadOnlyList<System.Reflection.MethodBase>> roots)
    {
        var results = new Dictionary<string, (CodeFingerprint, TimeSpan)>();
        foreach (var (target, targetRoots) in roots)
        {
            var start = Stopwatch.GetTimestamp();
            var fingerprint = fingerprinter.Compute(targetRoots);
            results[target] = (fingerprint, Stopwatch.GetElapsedTime(start));
        }

        return results;
    }
}

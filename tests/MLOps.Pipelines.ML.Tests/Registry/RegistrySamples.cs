using MLOps.Pipelines.ML.Registry;

namespace MLOps.Pipelines.ML.Tests.Registry;

/// <summary>Registration inputs shaped like the pipeline's (digests, fingerprint, parameters, metrics).</summary>
internal static class RegistrySamples
{
    public static ModelRegistration Registration(AbsolutePath model, string writer, int index, double auc = 0.8) => new(
        model,
        new Dictionary<string, string> { ["train"] = new string('a', 64), ["test"] = new string('b', 64) },
        "code-" + writer,
        new Dictionary<string, string> { ["writer"] = writer, ["index"] = index.ToString(System.Globalization.CultureInfo.InvariantCulture) },
        new Dictionary<string, double> { ["auc"] = auc },
        GitCommit: "0123456789abcdef0123456789abcdef01234567");
}

namespace MLOps.Pipelines.Serving.Tests.Delivery;

/// <summary>
/// The delivery tests' shared folder (server publishes by source key, host bases, layer cache), one per machine, as
/// the build shares one between its pipelines: the real server is published once per source state, not once per test.
/// Safe for test runs at once: publishes are locked and renamed into place, the rest is written atomically.
/// </summary>
internal static class SharedDelivery
{
    public static string Directory { get; } = Path.Combine(Path.GetTempPath(), "mlops-delivery-tests-shared");
}

// The .NET startup-hook contract wants a type named StartupHook in the global namespace; it stays inert
// unless the concurrency test sets the probe variables (see RegistrationProbe).
internal static class StartupHook
{
    public static void Initialize()
    {
        if (Environment.GetEnvironmentVariable(MLOps.Pipelines.ML.Tests.Registry.RegistrationProbe.DirectoryVariable) is null)
            return;
        Environment.Exit(MLOps.Pipelines.ML.Tests.Registry.RegistrationProbe.Run());
    }
}

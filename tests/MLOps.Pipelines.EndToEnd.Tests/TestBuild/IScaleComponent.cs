using MLOps.Pipelines;

// A build component: it owns its parameter, its paths and its target; Build composes it by implementing it.
interface IScaleComponent : IPipelineBuild
{
    [Parameter("Multiplier the Scaled target applies")] int Scale => GetValue(() => Scale, 3);

    AbsolutePath ScaleInput => RootDirectory / "data" / "b.txt";
    AbsolutePath ScaledFile => RootDirectory / "out" / "scaled.txt";

    Target Scaled => _ => _
        .Inputs(ScaleInput)
        .Outputs(ScaledFile)
        .Executes(() =>
        {
            (RootDirectory / "executions").CreateDirectory();
            File.WriteAllText(RootDirectory / "executions" / $"Scaled-{Guid.NewGuid():N}", "");
            ScaledFile.Parent!.CreateDirectory();
            File.WriteAllText(ScaledFile, $"{File.ReadAllText(ScaleInput).Trim().Length * Scale}");
        });
}

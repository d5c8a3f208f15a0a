namespace MLOps.Pipelines.Tests;

public class AbsolutePathTests
{
    [Fact]
    public void Slash_composes_and_normalizes()
    {
        var root = AbsolutePath.Create("/repo/");
        (root / "data" / ".." / "models" / "model.zip").ToString().ShouldBe("/repo/models/model.zip");
        (root / "a/b").RelativeTo(root).ShouldBe("a/b");
    }

    [Fact]
    public void Relative_strings_are_rejected() =>
        Should.Throw<ArgumentException>(() => AbsolutePath.Create("data/x"));
}

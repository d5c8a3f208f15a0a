namespace MLOps.Pipelines.ML.Registry;

/// <summary>The aliases the lifecycle uses.</summary>
public static class ModelAliases
{
    public const string Champion = "champion";
    public const string Challenger = "challenger";
}

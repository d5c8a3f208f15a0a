namespace MLOps.Pipelines.ML.Registry;

/// <summary>A registry operation that cannot be carried out; the message names the registry file and the fix.</summary>
public class ModelRegistryException : Exception
{
    public ModelRegistryException(string message) : base(message) { }
    public ModelRegistryException(string message, Exception innerException) : base(message, innerException) { }
}

namespace MLOps.Pipelines.Containers.Registry;

/// <summary>A registry refused or garbled a request; the message names the request, the answer and what to check.</summary>
public sealed class RegistryException(string message) : Exception(message);

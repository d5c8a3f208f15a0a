namespace MLOps.Pipelines.Serving.Input;

/// <summary>A request the server refuses: the HTTP status (400, 404, 413; 503 for a model not ready) and one line naming the field and the rule.</summary>
public sealed class InputException(int statusCode, string message) : Exception(message)
{
    public int StatusCode { get; } = statusCode;

    public static InputException BadRequest(string message) => new(400, message);

    public static InputException TooLarge(string message) => new(413, message);
}

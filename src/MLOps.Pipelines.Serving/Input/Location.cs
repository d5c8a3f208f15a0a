namespace MLOps.Pipelines.Serving.Input;

/// <summary>
/// Where a value sits in a request, for error messages ("the record", "record 3", "input 'tenure' element 7"): kept as
/// parts and formatted only when a message is built, so a request that fails nothing formats nothing.
/// </summary>
internal readonly struct Location
{
    private readonly string? input;
    private readonly int index;
    private readonly bool single;

    private Location(string? input, int index, bool single)
    {
        this.input = input;
        this.index = index;
        this.single = single;
    }

    /// <summary>A record of <c>POST /predict</c>: "the record" when the body is one object, else "record i".</summary>
    public static Location Record(int index, bool single) => new(null, index, single);

    /// <summary>Element <paramref name="index"/> of an inference request's input tensor.</summary>
    public static Location Element(string input, int index) => new(input, index, false);

    public override string ToString() => input is not null ? $"input '{input}' element {index}" : single ? "the record" : $"record {index}";
}

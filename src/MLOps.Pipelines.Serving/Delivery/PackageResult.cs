using System.Globalization;
using MLOps.Pipelines.Containers.Publishing;
using MLOps.Pipelines.Containers.Registry;

namespace MLOps.Pipelines.Serving.Delivery;

/// <summary>What Package did: the image record and the layout/archive written, and the push (null when not pushed).</summary>
public sealed record PackageResult(PackagedImage Image, string LayoutDirectory, string DockerArchive, string ModelDirectory, PushResult? Push)
{
    /// <summary>The server publish the image was built from: its source key, and whether this Package published it.</summary>
    public PublishedServer? Server { get; init; }
}

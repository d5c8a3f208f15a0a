using System.Globalization;
using MLOps.Pipelines.Containers.Oci;
using MLOps.Pipelines.Containers.Registry;

namespace MLOps.Pipelines.Serving.Delivery;

/// <summary>What Package did: the image record and the layout/archive written, and the push (null when not pushed).</summary>
public sealed record PackageResult(PackagedImage Image, string LayoutDirectory, string DockerArchive, string ModelDirectory, PushResult? Push);

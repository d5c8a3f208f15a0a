namespace MLOps.Pipelines.Serving.Models;

/// <summary>Where a served model is in its life: loading, ready (self-check passed), or failed (with the reason).</summary>
public enum ModelStatus
{
    Loading,
    Ready,
    Failed,
}

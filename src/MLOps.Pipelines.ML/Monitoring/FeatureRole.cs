namespace MLOps.Pipelines.ML.Monitoring;

/// <summary>How a feature's drift counts towards the data-set alarm.</summary>
public enum FeatureRole
{
    /// <summary>Counted: its drift is a sign the world the model sees has changed.</summary>
    Regular,

    /// <summary>
    /// A calendar feature (month, week of year, …) whose values move with time by construction: a batch from a later
    /// month cannot share the training months' values. Measured and reported, but not counted towards the alarm.
    /// </summary>
    Seasonal,
}

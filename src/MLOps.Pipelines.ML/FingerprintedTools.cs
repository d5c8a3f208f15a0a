using MLOps.Pipelines;

// The libraries whose behaviour the stages depend on: their package versions enter the fingerprint of every target
// that calls into this library, so upgrading ML.NET (whose assembly versions stay 1.0.0.0) re-runs those targets.
[assembly: FingerprintedTools(
    "Microsoft.ML.Core", "Microsoft.ML.Data", "Microsoft.ML.StandardTrainers", "Microsoft.ML.Transforms",
    "Microsoft.ML.LightGbm", "Microsoft.ML.FastTree", "Microsoft.ML.OnnxConverter", "Microsoft.ML.OnnxRuntime",
    "Microsoft.Data.Analysis", "Parquet")]

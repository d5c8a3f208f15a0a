namespace MLOps.Pipelines.ML.Tests;

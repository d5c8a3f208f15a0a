#!/usr/bin/env bash
# Container path figures (docs/benchmarks.md, "Containers"): publish, image size, repackage and re-push after a model
# change, time to ready and switch downtime. Needs DOCKER_HOST and MLOPS_TEST_REGISTRY for the docker and push rows
# (.ci/run's containers block starts both). Usage: bench/containers.sh [--server-project P.csproj --host NAME] [--trim]
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build bench/ContainersBenchmark/ContainersBenchmark.csproj -c Release -nologo -v quiet >/dev/null
if [[ " $* " != *" --server-project "* ]]; then
  # the tests' stand-in server (ASP.NET Core + ONNX Runtime), copied out so the repository's build settings stay out of it
  src=$(mktemp -d /tmp/mlops-bench-server.XXXXXX)
  cp tests/MLOps.Pipelines.Containers.Tests/assets/TestServer/* "$src/"
  set -- --server-project "$src/TestServer.csproj" --host TestServer "$@"
fi
dotnet bench/ContainersBenchmark/bin/Release/net10.0/ContainersBenchmark.dll "$@"

#!/usr/bin/env bash
# Training benchmark (issue 5), one run: ML.NET LightGBM through the project's ModelTrainer on data/flights-3m.parquet,
# then the reference peers (bench/reference/flights_reference.py: scikit-learn / XGBoost) on the same rows, after ours
# in the same run (never beside it: the cores are shared). Everything it writes stays in .nuke/temp/bench-train.
# Needs: python3-sklearn python3-xgboost python3-pandas python3-threadpoolctl (Debian) and node + npm (for the CSV the
# reference reads). Extra arguments go to TrainBenchmark (e.g. --splits random --trees 250 --reference-models xgb255).
#   bench/train.sh --splits random,time --reference-models xgb255
set -euo pipefail
cd "$(dirname "$0")/.."
WORK=.nuke/temp/bench-train
export OMP_WAIT_POLICY=PASSIVE DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
mkdir -p "$WORK"
if [ ! -s "$WORK/flights-3m.csv" ]; then
  (cd "$WORK" && npm install --silent --no-audit --no-fund hyparquet@1.31.5 hyparquet-compressors@1.1.2 >/dev/null)
  cp bench/reference/pq2csv.mjs "$WORK/"
  (cd "$WORK" && node pq2csv.mjs ../../../data/flights-3m.parquet flights-3m.csv >/dev/null)
fi
dotnet build bench/TrainBenchmark -c Release -nologo -v quiet "-clp:NoSummary;ErrorsOnly"
echo "$(date -u '+%Y-%m-%d %H:%M UTC'), load average $(cut -d' ' -f1-3 /proc/loadavg)"
dotnet bench/TrainBenchmark/bin/Release/net10.0/TrainBenchmark.dll --data data/flights-3m.parquet \
  --reference-script bench/reference/flights_reference.py --reference-csv "$WORK/flights-3m.csv" "$@"
echo "done $(date -u '+%H:%M UTC'), load average $(cut -d' ' -f1-3 /proc/loadavg)"

#!/usr/bin/env bash
# Model-server benchmark (issue 10): wrk on loopback against ONE mlops-serve process — POST /v2/models/{name}/infer and
# POST /predict with one record, and GET /v2/health/live (constant, no inference) as the HTTP floor; prints req/s,
# the ratio to the floor, p50 and p99. Before that, ServingBenchmark trains the churn model, writes its model
# directory and measures in-process batch scoring (server path vs ML.NET's engine on the same rows).
# The three endpoints are measured in ROUNDS alternating rounds (floor, infer, predict, floor, …) so that load from
# other processes hits all three alike; each round's ratios are to that round's floor, and the medians are reported.
# Usage: bench/serving.sh [seconds per endpoint, default 10] [connections, default 8] [rounds, default 3]
# Environment: BENCH_MODEL=catalog (default: the churn pipeline's own training defaults, what `./build.sh Train` fits)
# or large (250 trees of 255 leaves); BENCH_MODEL_DIR=a model directory from an earlier run (skips training and the
# in-process measure); SERVE_ARGS=extra mlops-serve options, e.g. "--batch-rows 1" (no dynamic batching).
set -euo pipefail
cd "$(dirname "$0")/.."
export OMP_WAIT_POLICY=PASSIVE ORT_DISABLE_TELEMETRY=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
SECONDS_PER=${1:-10}
CONNECTIONS=${2:-8}
ROUNDS=${3:-3}
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)"; exit 2; }
WORK=$(mktemp -d /tmp/mlops-serving-bench.XXXXXX)
SERVER_PID=""
trap '[ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null; wait 2>/dev/null; rm -rf "$WORK"' EXIT

dotnet build bench/ServingBenchmark/ServingBenchmark.csproj -c Release -nologo -v quiet >/dev/null
dotnet build src/MLOps.Pipelines.Serving.Host/MLOps.Pipelines.Serving.Host.csproj -c Release -nologo -v quiet >/dev/null
if [ -n "${BENCH_MODEL_DIR:-}" ]; then
  MODEL_DIR=$BENCH_MODEL_DIR # a model directory ServingBenchmark wrote before: no training, no in-process measure
else
  echo "== in-process batch scoring"
  dotnet bench/ServingBenchmark/bin/Release/net10.0/ServingBenchmark.dll --out "$WORK" --copies "${BENCH_COPIES:-1}" --model "${BENCH_MODEL:-catalog}" | grep -v onnxruntime
  MODEL_DIR="$WORK/customer-churn"
fi

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
dotnet src/MLOps.Pipelines.Serving.Host/bin/Release/net10.0/mlops-serve.dll --model-dir "$MODEL_DIR" --urls "http://127.0.0.1:$PORT" ${SERVE_ARGS:-} >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 100); do
  curl -sf "http://127.0.0.1:$PORT/v2/health/ready" >/dev/null && break
  sleep 0.2
done
curl -sf "http://127.0.0.1:$PORT/v2/health/ready" >/dev/null || { cat "$WORK/server.log"; echo "server not ready"; exit 1; }

# One golden record as the /predict body and as OIP tensors.
python3 - "$MODEL_DIR" "$WORK" <<'PY'
import json, sys
model_dir, work = sys.argv[1], sys.argv[2]
golden = json.load(open(f"{model_dir}/golden.json"))
record = next(r for r in golden["records"] if all(v is not None for v in r.values()))
meta_types = {}
json.dump(record, open(f"{work}/predict.json", "w"))
open(f"{work}/record.txt", "w").write(json.dumps(record))
PY
curl -sf "http://127.0.0.1:$PORT/v2/models/customer-churn" >"$WORK/meta.json"
python3 - "$WORK" <<'PY'
import json, sys
work = sys.argv[1]
record = json.load(open(f"{work}/predict.json"))
meta = json.load(open(f"{work}/meta.json"))
inputs = [{"name": i["name"], "datatype": i["datatype"], "shape": [1, 1], "data": [record[i["name"]]]} for i in meta["inputs"]]
json.dump({"inputs": inputs}, open(f"{work}/infer.json", "w"))
for name in ("predict", "infer"):
    body = open(f"{work}/{name}.json").read()
    open(f"{work}/{name}.lua", "w").write(
        'wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\nwrk.body = ' + json.dumps(body) + "\n")
PY
curl -sf -X POST -H 'Content-Type: application/json' --data @"$WORK/infer.json" "http://127.0.0.1:$PORT/v2/models/customer-churn/infer" >/dev/null
curl -sf -X POST -H 'Content-Type: application/json' --data @"$WORK/predict.json" "http://127.0.0.1:$PORT/predict" >/dev/null

cpu_ticks() { awk '{print $14 + $15}' "/proc/$SERVER_PID/stat"; } # the server's user + system CPU, in clock ticks
gen0() { curl -sf "http://127.0.0.1:$PORT/metrics" | awk -F' ' '/^dotnet_collection_count_total\{generation="0"\}/ {print $2}'; } # the server's gen-0 collections so far
TICK_US=$((1000000 / $(getconf CLK_TCK)))
run() { # name path [lua] → name req/s p50 p99 non2xx server-CPU-µs-per-request gen0-collections-per-1000-requests
  local out before gc_before
  gc_before=$(gen0)
  before=$(cpu_ticks)
  if [ -n "${3:-}" ]; then out=$(wrk -t1 -c"$CONNECTIONS" -d"${SECONDS_PER}s" --latency -s "$3" "http://127.0.0.1:$PORT$2")
  else out=$(wrk -t1 -c"$CONNECTIONS" -d"${SECONDS_PER}s" --latency "http://127.0.0.1:$PORT$2"); fi
  local rps p50 p99 non2xx requests cpu
  cpu=$(( ($(cpu_ticks) - before) * TICK_US ))
  local gcs=$(( $(gen0) - gc_before ))
  requests=$(awk '/requests in/ {print $1}' <<<"$out")
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1=="50%" {print $2}' <<<"$out")
  p99=$(awk '$1=="99%" {print $2}' <<<"$out")
  non2xx=$(awk '/Non-2xx/ {print $NF}' <<<"$out")
  echo "$1 $rps $p50 $p99 ${non2xx:-0} $(awk -v c="$cpu" -v n="$requests" 'BEGIN {printf "%.1f", c / n}') $(awk -v g="$gcs" -v n="$requests" 'BEGIN {printf "%.2f", 1000 * g / n}')"
}
to_ms() { awk -v v="$1" 'BEGIN { if (v ~ /us$/) printf "%.3f", v/1000; else if (v ~ /ms$/) printf "%.3f", v+0; else if (v ~ /s$/) printf "%.3f", v*1000; }'; }

echo "== HTTP, wrk -t1 -c$CONNECTIONS -d${SECONDS_PER}s --latency on loopback, one server process (pid $SERVER_PID), $ROUNDS alternating rounds"
echo "server options: ${SERVE_ARGS:-(defaults)}; model: ${BENCH_MODEL:-catalog}"
echo "load before: $(uptime)"
run warmup /v2/health/live >/dev/null
run warmup /v2/models/customer-churn/infer "$WORK/infer.lua" >/dev/null
run warmup /predict "$WORK/predict.lua" >/dev/null
LABELS=("GET /v2/health/live (floor)" "POST /v2/models/customer-churn/infer (1 row)" "POST /predict (1 record)")
ratio() { awk -v a="$1" -v b="$2" 'BEGIN{printf "%.2f", a/b}'; }
median() { tr ' ' '\n' <<<"$*" | grep -v '^$' | sort -g | awk '{v[NR]=$1} END {print (NR%2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }
declare -A RPS RATIO P50 P99 TAIL NON2XX CPU CPURATIO GC
# cpu_us: the server process's CPU time (user + system, from /proc) per request; cpu_ratio: the floor's CPU per request
# over this endpoint's, i.e. the throughput ratio if the server had the cores to itself (less sensitive to other load);
# gc0/1k: the server's gen-0 garbage collections per 1,000 requests (each one pauses every request in flight).
printf '%-6s %-46s %10s %8s %9s %9s %8s %7s %8s %9s %7s\n' round endpoint req/s ratio p50_ms p99_ms p99/p50 non2xx cpu_us cpu_ratio gc0/1k
for round in $(seq 1 "$ROUNDS"); do
  results=("$(run floor /v2/health/live)" "$(run infer /v2/models/customer-churn/infer "$WORK/infer.lua")" "$(run predict /predict "$WORK/predict.lua")")
  floor_rps=$(awk '{print $2}' <<<"${results[0]}")
  floor_cpu=$(awk '{print $6}' <<<"${results[0]}")
  for k in 0 1 2; do
    read -r _ rps p50 p99 non2xx cpu gc <<<"${results[$k]}"
    p50ms=$(to_ms "$p50"); p99ms=$(to_ms "$p99")
    RPS[$k]+=" $rps"; RATIO[$k]+=" $(ratio "$rps" "$floor_rps")"; P50[$k]+=" $p50ms"; P99[$k]+=" $p99ms"; TAIL[$k]+=" $(ratio "$p99ms" "$p50ms")"; NON2XX[$k]+=" $non2xx"
    CPU[$k]+=" $cpu"; CPURATIO[$k]+=" $(ratio "$floor_cpu" "$cpu")"; GC[$k]+=" $gc"
    printf '%-6s %-46s %10s %8s %9s %9s %8s %7s %8s %9s %7s\n' "$round" "${LABELS[$k]}" "$rps" "$(ratio "$rps" "$floor_rps")" "$p50ms" "$p99ms" "$(ratio "$p99ms" "$p50ms")" "$non2xx" "$cpu" "$(ratio "$floor_cpu" "$cpu")" "$gc"
  done
done
echo "load after: $(uptime)"
echo "== median of $ROUNDS rounds (goal: ratio >= 0.50 of the floor's req/s, p99/p50 <= 5)"
printf '%-46s %10s %8s %9s %9s %8s %7s %8s %9s %7s\n' endpoint req/s ratio p50_ms p99_ms p99/p50 non2xx cpu_us cpu_ratio gc0/1k
for k in 0 1 2; do
  printf '%-46s %10s %8s %9s %9s %8s %7s %8s %9s %7s\n' "${LABELS[$k]}" "$(median ${RPS[$k]})" "$(median ${RATIO[$k]})" "$(median ${P50[$k]})" \
    "$(median ${P99[$k]})" "$(median ${TAIL[$k]})" "$(awk '{for (i = 1; i <= NF; i++) t += $i} END {print t + 0}' <<<"${NON2XX[$k]}")" \
    "$(median ${CPU[$k]})" "$(median ${CPURATIO[$k]})" "$(median ${GC[$k]})"
done
curl -sf "http://127.0.0.1:$PORT/metrics" | awk '/^mlops_batch_rows_sum/ {s += $2} /^mlops_batch_rows_count/ {c += $2}
  END {if (c > 0) printf "dynamic batching: %d scoring calls, %.2f rows per call on average\n", c, s / c}'
kill -TERM "$SERVER_PID"; wait "$SERVER_PID" || true; SERVER_PID=""

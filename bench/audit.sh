#!/usr/bin/env bash
# The cost of the audit record (issue 12, point 6), in one run on this checkout: ./build.sh Noop (runs a target whose
# body does nothing, so it appends one hash-chained record to the audit log) against ./build.sh Noop --dry-run (the
# same plan and up-to-date checks, nothing run, no record), alternated N times each; medians of wall time and the
# ratio, with the load average. The records go to a scratch log under .nuke/temp (MLOPS_AUDIT_LOG), removed on exit.
#   N=9 bench/audit.sh
set -euo pipefail
cd "$(dirname "$0")/.."
N=${N:-9}
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
./build.sh --help >/dev/null                      # compiles build/ when a source changed
mkdir -p .nuke/temp && SCRATCH=$(mktemp -d .nuke/temp/audit-bench.XXXXXX)
trap 'rm -rf "$SCRATCH"' EXIT
export MLOPS_AUDIT_LOG="$PWD/$SCRATCH/audit.log"
TIMEFORMAT='%R'
for _ in $(seq "$N"); do
  { time ./build.sh Noop --dry-run >/dev/null 2>&1; } 2>>"$SCRATCH/dry"
  { time ./build.sh Noop >/dev/null 2>&1; } 2>>"$SCRATCH/run"
done
median() { sort -g "$1" | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
dry=$(median "$SCRATCH/dry"); run=$(median "$SCRATCH/run")
echo "median of $N alternating runs, $(date -u '+%Y-%m-%d %H:%M UTC'), load average $(cut -d' ' -f1-3 /proc/loadavg)"
./build.sh --verify-audit "$MLOPS_AUDIT_LOG"
awk -v d="$dry" -v r="$run" 'BEGIN {
  printf "./build.sh Noop --dry-run (no record)  %.3f s\n./build.sh Noop (one audit record)    %.3f s\nratio %.2fx\n", d, r, r / d }'

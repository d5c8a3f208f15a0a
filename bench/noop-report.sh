#!/usr/bin/env bash
# Issue 8, "Measured": a no-op ./build.sh Report (every instance of every pipeline up to date) against
# ./build.sh --help, in one run of this script on this checkout. The first call brings every target up to date (on a
# fresh clone it trains all three pipelines once: minutes for FlightDelays' 3M rows); then N alternating calls of
# each, and the medians of their wall and CPU (user+sys) times, the ratios (goal <= 3x) and the load average.
#   N=7 bench/noop-report.sh
set -euo pipefail
cd "$(dirname "$0")/.."
N=${N:-7}
export OMP_WAIT_POLICY=PASSIVE DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

./build.sh --help >/dev/null                # compiles build/ when a source changed
./build.sh Report >/dev/null || { echo "bench/noop-report.sh: ./build.sh Report failed; run it to see why" >&2; exit 1; }

mkdir -p .nuke/temp && TIMES=$(mktemp -d .nuke/temp/noop-report.XXXXXX)   # scratch for the timings; removed on exit
trap 'rm -rf "$TIMES"' EXIT
TIMEFORMAT='%R %U %S'
for _ in $(seq "$N"); do
  { time ./build.sh --help >/dev/null 2>&1; } 2>>"$TIMES/help"
  { time ./build.sh Report >/dev/null 2>&1; } 2>>"$TIMES/report"
done

# median of a column: wall = $1, cpu = $2 + $3
median() { awk "{print $2}" "$1" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
hw=$(median "$TIMES/help" '$1');   hc=$(median "$TIMES/help" '$2 + $3')
rw=$(median "$TIMES/report" '$1'); rc=$(median "$TIMES/report" '$2 + $3')
echo "median of $N alternating runs, $(date -u '+%Y-%m-%d %H:%M UTC'), load average $(cut -d' ' -f1-3 /proc/loadavg)"
awk -v hw="$hw" -v hc="$hc" -v rw="$rw" -v rc="$rc" 'BEGIN {
  printf "./build.sh --help          wall %.2f s  cpu %.2f s\n", hw, hc
  printf "./build.sh Report (no-op)  wall %.2f s  cpu %.2f s\n", rw, rc
  printf "ratio Report / --help      wall %.2fx  cpu %.2fx  (goal <= 3x)\n", rw / hw, rc / hc
}'

#!/usr/bin/env bash
# Bootstrapper cost, in one run on this repository's build: median of N calls each of
#   a) ./build.sh --help                      (no-op, nothing changed)
#   b) ./build.sh Noop                        (a target whose body does nothing)
#   c) Nuke-style: dotnet build build/_build.csproj && dotnet run --project build/_build.csproj --no-build -- Noop
#   d) dotnet <compiled build dll> --help     (the process-start floor)
#   e) ./build.sh Report with every instance of every pipeline up to date (issue 3's no-op build; the first
#      call below brings them up to date, which trains every pipeline once if it never ran here)
# and prints the ratios the issues set goals on: a/d, b/d and e/d (goal <= 3), c/b (goal >= 10).
set -euo pipefail
cd "$(dirname "$0")/.."
N=${N:-7}
export OMP_WAIT_POLICY=PASSIVE

./build.sh --help >/dev/null          # make sure the program is compiled
DLL=".nuke/temp/build-bin/$(cat .nuke/temp/build.stamp)/_build.dll"
dotnet build build/_build.csproj -c Release -nologo -v quiet >/dev/null   # warm the Nuke-style path once
./build.sh Report >/dev/null                                              # every target up to date

median_ms() {  # median wall time in ms of N runs of "$@"
  local times=()
  for _ in $(seq "$N"); do
    local start end; start=$(date +%s%N); "$@" >/dev/null 2>&1; end=$(date +%s%N)
    times+=($(( (end - start) / 1000000 )))
  done
  printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'
}
nuke_style() { dotnet build build/_build.csproj -c Release -nologo -v quiet && dotnet run --project build/_build.csproj -c Release --no-build -- Noop; }

floor=$(median_ms dotnet "$DLL" --help)
help=$(median_ms ./build.sh --help)
noop=$(median_ms ./build.sh Noop)
nuke=$(median_ms nuke_style)
uptodate=$(median_ms ./build.sh Report)

echo "$(date -u '+%Y-%m-%d %H:%M UTC'), load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "median of $N runs (ms): floor (dotnet dll --help) $floor | ./build.sh --help $help | ./build.sh Noop $noop | Nuke-style Noop $nuke | ./build.sh Report, all up to date $uptodate"
awk -v f="$floor" -v h="$help" -v n="$noop" -v k="$nuke" -v u="$uptodate" 'BEGIN {
  printf "./build.sh --help / floor = %.2fx (goal <= 3)\n", h / f
  printf "./build.sh Noop / floor   = %.2fx (goal <= 3)\n", n / f
  printf "Nuke-style / ./build.sh Noop = %.1fx faster (goal >= 10)\n", k / n
  printf "./build.sh Report, every instance up to date / floor = %.2fx (goal <= 3)\n", u / f
}'

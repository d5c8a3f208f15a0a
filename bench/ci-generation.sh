#!/usr/bin/env bash
# CI generation for this repository's build, 10 runs: the time of `./build.sh --generate-ci` against the
# process-start floor (`./build.sh --help`) measured in the same run, and whether every run wrote identical bytes.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${N:-10}
./build.sh --help >/dev/null
files=(.github/workflows/*.yml .gitlab-ci.yml)
declare -a gen help hashes
for i in $(seq "$N"); do
  s=$(date +%s%N); ./build.sh --help >/dev/null; e=$(date +%s%N); help+=($(( (e - s) / 1000000 )))
  s=$(date +%s%N); ./build.sh --generate-ci >/dev/null; e=$(date +%s%N); gen+=($(( (e - s) / 1000000 )))
  hashes+=("$(cat "${files[@]}" | sha256sum | cut -c1-16)")
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
distinct=$(printf '%s\n' "${hashes[@]}" | sort -u | wc -l)
bytes=$(cat "${files[@]}" | wc -c)
echo "$(date -u '+%Y-%m-%d %H:%M UTC'), load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "files: ${files[*]} ($bytes bytes)"
echo "median of $N: ./build.sh --generate-ci $(median "${gen[@]}") ms, ./build.sh --help $(median "${help[@]}") ms"
awk -v g="$(median "${gen[@]}")" -v h="$(median "${help[@]}")" 'BEGIN { printf "generation / floor = %.2fx\n", g / h }'
echo "distinct outputs over $N runs: $distinct (1 = byte-identical)"
git diff --quiet -- "${files[@]}" && echo "identical to the committed files" || echo "DIFFERS from the committed files"

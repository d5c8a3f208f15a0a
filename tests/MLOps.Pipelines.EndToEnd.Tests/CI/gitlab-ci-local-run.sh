#!/usr/bin/env bash
# Runs this repository's generated .gitlab-ci.yml end to end under gitlab-ci-local (--force-shell-executor
# --shell-isolation: each job in its own copy of the repository, receiving only its artifacts and cache, as separate
# runners would), limited to the CustomerChurn pipeline: the push pipeline, then the scheduled one, whose commit-back
# job pushes to a bare origin on disk. With DEPLOY_SERVE_PORT, the generated deploy pipeline follows in a fresh clone of
# that origin (it has nothing of the runs but the repository, the remote cache and the model store) and leaves the
# server running: its PID is in the Deploy job's live.json under fresh/.gitlab-ci-local/builds/; the caller stops it. Then, as
# the baseline, one ./build.sh of the scheduled pipeline's targets in a fresh copy. Prints one line per run with its
# wall time; logs and repositories stay in WORK for the caller to check.
#
# usage: gitlab-ci-local-run.sh WORK
# env:   MLOPS_REMOTE_CACHE (a Bazel-protocol HTTP cache; jobs read it, the scheduled ones write it), MLOPS_MODEL_STORE
#        (the jobs' --model-store, e.g. oci://127.0.0.1:5000/models; empty: each job's local folder), DEPLOY_SERVE_PORT
#        (CustomerChurn's port for the fresh-clone deploy; unset: no deploy), GITLAB_CI_LOCAL (default: gitlab-ci-local
#        on PATH or in .ci/tools), TRAIN_MIN_EXAMPLES (the nightly's --min-examples-per-leaf; default 20: a model the
#        registry lacks that beats its champion, v1, by AUC 0.8484 against 0.8481, so the nightly promotes it).
set -euo pipefail
SRC="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
WORK="$1"
GCL="${GITLAB_CI_LOCAL:-$(command -v gitlab-ci-local || echo "$SRC/.ci/tools/node_modules/.bin/gitlab-ci-local")}"
MIN_EXAMPLES="${TRAIN_MIN_EXAMPLES:-20}"
TOKEN="local-push-token"
REMOTE="https://gitlab.example.com/mlops/pipelines.git"

rm -rf "$WORK" && mkdir -p "$WORK/repo"
# The checkout as committed or edited, without what git ignores (artifacts, caches, compiled programs).
git -C "$SRC" ls-files -co --exclude-standard -z | rsync -a --from0 --files-from=- "$SRC/" "$WORK/repo/"
(cd "$WORK/repo" && git init -q -b main && git add -A && git -c user.name=test -c user.email=test@localhost commit -qm "the repository" \
  && git remote add origin "$REMOTE")
git clone -q --bare "$WORK/repo" "$WORK/origin.git"
# The commit-back job pushes to https://oauth2:<token>@<CI_SERVER_HOST>/<CI_PROJECT_PATH>.git; git's own URL rewriting
# sends that to the bare origin on disk (the generated file is not changed for the test).
export GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0="url.$WORK/origin.git.insteadOf" GIT_CONFIG_VALUE_0="https://oauth2:$TOKEN@gitlab.example.com/mlops/pipelines.git"
export OMP_WAIT_POLICY=PASSIVE

# run NAME DIR ARGS...: gitlab-ci-local in the checkout DIR; its log in WORK/NAME.log, its job logs in WORK/NAME-jobs/.
run() {
  local name=$1 dir=$2; shift 2
  local start end rc=0
  start=$(date +%s.%N)
  (cd "$dir" && "$GCL" --force-shell-executor --shell-isolation --no-color \
      --variable PIPELINE=CustomerChurn --variable "CI_PUSH_TOKEN=$TOKEN" --variable "MLOPS_REMOTE_CACHE=${MLOPS_REMOTE_CACHE:-}" \
      --variable "MLOPS_MODEL_STORE=${MLOPS_MODEL_STORE:-}" "$@") \
    > "$WORK/$name.log" 2>&1 || rc=$?
  end=$(date +%s.%N)
  mkdir -p "$WORK/$name-jobs" && cp -r "$dir/.gitlab-ci-local/output/." "$WORK/$name-jobs/" 2>/dev/null || true
  printf '%s: exit %d, %.1f s\n' "$name" "$rc" "$(echo "$end - $start" | bc)"
  return $rc
}

# Each job's workspace is a full copy of the repository plus the cached build program; a pipeline's copies go once its
# logs are kept (the next pipeline's jobs have other names, so nothing reuses them, and they would fill a small disk).
drop_workspaces() { rm -rf "$1/.gitlab-ci-local/builds"; }

run push "$WORK/repo"
drop_workspaces "$WORK/repo"
run schedule "$WORK/repo" --variable CI_PIPELINE_SOURCE=schedule --variable PIPELINES_SCHEDULE=nightly-retrain --variable "MIN_EXAMPLES_PER_LEAF=$MIN_EXAMPLES"
drop_workspaces "$WORK/repo"

# The generated deploy pipeline ("Run pipeline": CI_PIPELINE_SOURCE=web) in a fresh clone of what the nightly run
# pushed, with the nightly's parameters, so its upstream jobs find their targets up to date against the committed lock
# (restored from the remote cache), Package's job takes the champion's binary from the model store by digest (no job
# of this clone registered it) and Deploy's job starts the server (process target; setsid, so it outlives the job).
# The runners' cache holds only the compiled build program, as on a runner that ran the nightly. The server keeps
# running; its PID is in the Deploy job's folder (.gitlab-ci-local/builds/deployOgdeploy-customerchurn/artifacts/
# delivery/CustomerChurn/state/local/customer-churn/live.json); the caller stops it.
if [ -n "${DEPLOY_SERVE_PORT:-}" ]; then
  git clone -q "$WORK/origin.git" "$WORK/fresh"
  git -C "$WORK/fresh" remote set-url origin "$REMOTE" # gitlab-ci-local takes the project path from the remote
  mkdir -p "$WORK/fresh/.gitlab-ci-local/cache"
  cp -r "$WORK/repo/.gitlab-ci-local/cache/build-program" "$WORK/fresh/.gitlab-ci-local/cache/" 2>/dev/null || true
  run deploy "$WORK/fresh" --variable CI_PIPELINE_SOURCE=web --variable "MIN_EXAMPLES_PER_LEAF=$MIN_EXAMPLES" \
    --variable DEPLOY_TARGET=process --variable "SERVE_PORT=$((DEPLOY_SERVE_PORT - 1))"
fi

# Baseline: the same targets in one ./build.sh, in a fresh copy, with the build program the runs compiled (the
# scheduled run found it in the cache too), so both sides measure running the targets, not compiling the build.
mkdir -p "$WORK/single/.nuke/temp"
git -C "$SRC" ls-files -co --exclude-standard -z | rsync -a --from0 --files-from=- "$SRC/" "$WORK/single/"
cp -r "$WORK/repo/.gitlab-ci-local/cache/build-program/.nuke/temp/build-bin" "$WORK/single/.nuke/temp/" 2>/dev/null || true
start=$(date +%s.%N)
rc=0
(cd "$WORK/single" && MIN_EXAMPLES_PER_LEAF="$MIN_EXAMPLES" MLOPS_REMOTE_CACHE= MODEL_STORE="${MLOPS_MODEL_STORE:-}" ./build.sh Report@CustomerChurn Retrain@CustomerChurn ModelCard@CustomerChurn) > "$WORK/single.log" 2>&1 || rc=$?
end=$(date +%s.%N)
printf 'single: exit %d, %.1f s\n' "$rc" "$(echo "$end - $start" | bc)"
[ $rc -eq 0 ] || exit $rc

# Where the scheduled run's job time went: the targets that ran (Succeeded) against the jobs' wall time (their
# script, cache and artifact steps as gitlab-ci-local reports them).
awk '
  /^[^ ]+:[^ ]+ +finished in / { v=$(NF-1); u=$NF; s+= (u=="min" ? v*60 : (u=="ms" ? v/1000 : v)) }
  /(imported|created|exported|copied) .* in [0-9.]+ (ms|s)$/ { v=$(NF-1); u=$NF; s+= (u=="ms" ? v/1000 : v) }
  /✔ .* Succeeded in [0-9.]+ s/ { t+=$(NF-1) }
  END { if (s > 0) printf "schedule jobs: %.1f s of job time, %.1f s in targets that ran, %.0f%% outside them\n", s, t, 100*(s-t)/s }
' "$WORK/schedule.log"

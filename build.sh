#!/usr/bin/env bash
# Bootstrapper: starts the compiled build program directly, and compiles build/ first only when a source it
# depends on changed by content. A Nuke-style `dotnet build && dotnet run` costs ~2.5 s on every call; this costs
# one `find` when nothing changed.
set -eo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
TEMP="$ROOT/.nuke/temp"
BIN="$TEMP/build-bin"
STAMP="$TEMP/build.stamp"   # holds the content hash the current program was compiled from; its mtime is when
SOURCES=(build pipelines src data/schemas Directory.Build.props Directory.RunsWhereBuilt.props Directory.Packages.props global.json)
export MLOPS_PIPELINES_ROOT="$ROOT" DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
# LightGBM's OpenMP threads busy-wait under load unless told otherwise before the process starts.
export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}"

existing_sources() { local s; for s in "${SOURCES[@]}"; do [ -e "$ROOT/$s" ] && printf '%s\n' "$ROOT/$s"; done; }

changed_since_stamp() {
  # Any file or folder (a folder's mtime moves when an entry is added or removed) newer than the stamp.
  mapfile -t paths < <(existing_sources)
  [ -n "$(find "${paths[@]}" \( -name bin -o -name obj \) -prune -o -newer "$STAMP" -print -quit 2>/dev/null)" ]
}

content_hash() {
  # The platform too: the program carries this machine's native libraries only, and CI runners share it by cache.
  mapfile -t paths < <(existing_sources)
  { find "${paths[@]}" \( -name bin -o -name obj \) -prune -o -type f -print0 | LC_ALL=C sort -z \
      | xargs -0 sha256sum | sed "s|  $ROOT/|  |"; uname -sm; } | sha256sum | cut -c1-20
}

find_dotnet() {
  if [ -x "$TEMP/dotnet-unix/dotnet" ]; then DOTNET="$TEMP/dotnet-unix/dotnet"
  elif command -v dotnet >/dev/null 2>&1; then DOTNET="$(command -v dotnet)"
  else DOTNET=""; fi
}

ensure_sdk() {
  # Install the SDK that global.json names only when no suitable one exists (same major.minor feature band rolls forward).
  local wanted; wanted=$(sed -n 's/.*"version": *"\([^"]*\)".*/\1/p' "$ROOT/global.json")
  find_dotnet
  if [ -n "$DOTNET" ] && "$DOTNET" --list-sdks 2>/dev/null | grep -q "^${wanted%.*}"; then return; fi
  if [ -n "$DOTNET" ] && "$DOTNET" --list-sdks 2>/dev/null | grep -q "^${wanted%%.*}\."; then return; fi
  echo "build.sh: installing .NET SDK $wanted into .nuke/temp/dotnet-unix" >&2
  mkdir -p "$TEMP"
  curl -fsSL https://dot.net/v1/dotnet-install.sh -o "$TEMP/dotnet-install.sh"
  bash "$TEMP/dotnet-install.sh" --install-dir "$TEMP/dotnet-unix" --version "$wanted" --no-path >&2
  DOTNET="$TEMP/dotnet-unix/dotnet"
}

compile() {
  mkdir -p "$BIN"
  exec 9>"$TEMP/build.lock"
  flock 9   # two concurrent calls: the second waits, then finds the program compiled
  changed_since_stamp || [ ! -f "$STAMP" ] || { read -r HASH < "$STAMP"; [ -f "$BIN/$HASH/_build.dll" ] && return; }
  touch "$STAMP.next"   # taken before hashing, so an edit made during the compile is seen next time
  HASH=$(content_hash)
  if [ ! -f "$BIN/$HASH/_build.dll" ]; then
    ensure_sdk
    echo "build.sh: compiling the build (sources changed)" >&2
    rm -rf "$BIN/$HASH.tmp"
    if ! "$DOTNET" build "$ROOT/build/_build.csproj" -c Release -o "$BIN/$HASH.tmp" -nologo -v quiet > "$TEMP/compile.log" 2>&1; then
      grep -E "error|Error" "$TEMP/compile.log" | sort -u >&2 || cat "$TEMP/compile.log" >&2
      rm -rf "$BIN/$HASH.tmp" "$STAMP.next"
      echo "build.sh: the build does not compile; fix the errors above." >&2
      exit 2
    fi
    mv "$BIN/$HASH.tmp" "$BIN/$HASH"
  fi
  echo "$HASH" > "$STAMP.next"
  mv "$STAMP.next" "$STAMP"
  # Programs compiled from older sources go after a day; a build still running from one keeps its files open.
  find "$BIN" -mindepth 1 -maxdepth 1 -type d ! -name "$HASH" -mtime +1 -exec rm -rf {} + 2>/dev/null || true
  exec 9>&-
}

if [ -f "$STAMP" ] && ! changed_since_stamp; then
  read -r HASH < "$STAMP"
fi
if [ -z "${HASH:-}" ] || [ ! -f "$BIN/$HASH/_build.dll" ]; then
  compile
fi
[ -n "${DOTNET:-}" ] || find_dotnet
exec "${DOTNET:-dotnet}" "$BIN/$HASH/_build.dll" "$@"

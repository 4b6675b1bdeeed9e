#!/usr/bin/env bash
# Builds XmppDotNet.Xtls through build.cake; needs only the .NET SDK.
#   ./build.sh --target=Test                        build, then run every test
#   ./build.sh --target=Demo --demo-args="..."      build, then run the demo program
# Other targets: Clean, Restore, Build, Pack, PublicApi, Bench, Load (see build.cake). Works from any
# current directory.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")"

export DOTNET_CLI_TELEMETRY_OPTOUT=1
export DOTNET_NOLOGO=1
export CAKE_SETTINGS_ENABLESCRIPTCACHE=true
# Cake's compiled-script cache and tools live under artifacts/ (ignored by git), not in ./tools.
export CAKE_PATHS_TOOLS="$PWD/artifacts/cake/tools"
export CAKE_PATHS_CACHE="$PWD/artifacts/cake/cache"
# Plain build logs (the terminal logger redraws lines), unless the caller chose otherwise.
export MSBUILDTERMINALLOGGER="${MSBUILDTERMINALLOGGER:-off}"
if [[ -n "${NO_COLOR:-}" ]]; then
  export NO_COLOR
fi

# Restore the pinned Cake tool quietly; show its output only when it fails.
if ! restore_output="$(dotnet tool restore 2>&1)"; then
  printf '%s\n' "$restore_output" >&2
  exit 1
fi

exec dotnet cake build.cake "$@"

#!/usr/bin/env bash
# Fuzzes one target of XmppDotNet.Xtls.Fuzz with AFL++ for a given time:
#   tests/XmppDotNet.Xtls.Fuzz/fuzz.sh TARGET SECONDS
# TARGET is xml-stream, xml-fragment, tunnel-iq, inner-stanza or xml-element. Builds Release, instruments the
# XmppDotNet.Xtls assemblies with sharpfuzz, starts from corpus/TARGET/ and writes AFL++'s findings
# to artifacts/fuzz/TARGET/. Exits 1, printing each input and the exception it raises, when AFL++
# found a crash. Needs afl-fuzz (Debian package afl++) on PATH.
set -euo pipefail

if [[ $# -ne 2 || ! "$2" =~ ^[0-9]+$ ]]; then
  echo "usage: $0 (xml-stream | xml-fragment | tunnel-iq | inner-stanza | xml-element) SECONDS" >&2
  exit 2
fi
target="$1"
seconds="$2"

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
corpus="$here/corpus/$target"
out="$repo/artifacts/fuzz/$target"
# Per target, so that targets can run side by side: the assemblies as built, and instrumented.
plain="$repo/artifacts/fuzz/.bin/$target/plain"
bin="$repo/artifacts/fuzz/.bin/$target/afl"

[[ -d "$corpus" ]] || { echo "fuzz: no corpus for '$target' in $corpus" >&2; exit 2; }
command -v afl-fuzz >/dev/null 2>&1 || { echo "fuzz: afl-fuzz is not on PATH (apt-get install afl++)" >&2; exit 2; }

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 MSBUILDDISABLENODEREUSE=1 UseSharedCompilation=false

cd "$repo"
dotnet tool restore >/dev/null
dotnet build "$here/XmppDotNet.Xtls.Fuzz.csproj" -c Release -nologo -v quiet -o "$repo/artifacts/fuzz/.build"

# Only the XmppDotNet.Xtls libraries carry the coverage probes; BouncyCastle and DotNetty stay as
# they are, and so does the harness: its Main runs before the coverage map exists.
rm -rf "$plain" "$bin"
mkdir -p "$(dirname "$bin")"
cp -r "$repo/artifacts/fuzz/.build" "$plain"
cp -r "$repo/artifacts/fuzz/.build" "$bin"
for assembly in "$bin"/XmppDotNet.Xtls*.dll; do
  [[ "$assembly" == */XmppDotNet.Xtls.Fuzz.dll ]] && continue
  dotnet sharpfuzz "$assembly" >/dev/null
done

rm -rf "$out"
mkdir -p "$out"

# A container has no CPU frequency governor and pipes core dumps elsewhere; the target is dotnet,
# which carries no AFL++ instrumentation of its own. -t is per input, but the first one includes
# starting the runtime.
AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_UI=1 AFL_SKIP_BIN_CHECK=1 \
AFL_FORKSRV_INIT_TMOUT=60000 AFL_NO_AFFINITY=1 \
  afl-fuzz -i "$corpus" -o "$out" -x "$here/xmpp.dict" -t 10000 -m none -V "$seconds" \
    -- dotnet "$bin/XmppDotNet.Xtls.Fuzz.dll" "$target" >"$out/afl-fuzz.log" 2>&1 || {
  status=$?
  tail -n 40 "$out/afl-fuzz.log" >&2
  echo "fuzz: afl-fuzz failed with exit code $status" >&2
  exit "$status"
}

stats="$out/default/fuzzer_stats"
stat() { sed -n "s/^$1 *: *//p" "$stats"; }
echo "fuzz: $target: $(stat execs_done) executions in $(stat run_time)s ($(stat execs_per_sec)/s), $(stat corpus_count) paths, $(stat saved_crashes) crashes, $(stat saved_hangs) hangs"

shopt -s nullglob
crashes=("$out"/default/crashes/id:*)
hangs=("$out"/default/hangs/id:*)
shopt -u nullglob
for hang in "${hangs[@]}"; do
  echo "fuzz: $target: input slower than 10 s: $hang" >&2
done
if [[ ${#crashes[@]} -eq 0 ]]; then
  exit 0
fi

for crash in "${crashes[@]}"; do
  echo "fuzz: $target: crash $crash" >&2
  head -c 2048 "$crash" | od -A d -c | head -n 40 >&2
  # Replayed without instrumentation: the exception and its stack trace.
  dotnet "$plain/XmppDotNet.Xtls.Fuzz.dll" "$target" "$crash" 2>&1 | head -n 30 >&2 || true
done
echo "fuzz: $target: ${#crashes[@]} crash(es) in $out/default/crashes" >&2
exit 1

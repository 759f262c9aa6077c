#!/bin/sh
# Configures a clang + libFuzzer + ASan/UBSan build (TFC_FUZZ=ON), builds the fuzz targets and runs
# each for the given seconds, one after another, on one core.
#   tools/fuzz/run.sh [seconds] [target...]      (default: 600 seconds; all targets)
# Environment: BUILD (build dir, default build-fuzz), JOBS (build parallelism, default 2),
# FUZZ_ARGS (extra libFuzzer flags). Each target's growing corpus goes to $BUILD/fuzz/<target>/corpus
# (seeded from tools/fuzz/corpus/<target>), crashing inputs to $BUILD/fuzz/<target>/, the log to
# $BUILD/fuzz/<target>.log. Save a crash as tools/fuzz/regressions/<target>/<name> once it is fixed.
set -eu
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SECONDS_PER_TARGET=${1:-600}
[ $# -gt 0 ] && shift
TARGETS=${*:-graphdef_import checkpoint_read tfrecord_read idx_read csv_read}
BUILD=${BUILD:-$ROOT/build-fuzz}
JOBS=${JOBS:-2}

CC=${CC:-clang} cmake -S "$ROOT" -B "$BUILD" -DTFC_FUZZ=ON -DTFC_BUILD_BENCH=OFF -DTFC_BUILD_EXAMPLES=OFF \
    -DTFC_CUDA=OFF >/dev/null
set --
for t in $TARGETS; do set -- "$@" "fuzz_$t"; done
cmake --build "$BUILD" -j"$JOBS" --target "$@"

status=0
for t in $TARGETS; do
    out=$BUILD/fuzz/$t
    mkdir -p "$out/corpus"
    echo "== fuzz_$t for ${SECONDS_PER_TARGET}s (log: $out.log)"
    # -dict-less, one process (one core); regressions are replayed first as part of the corpus.
    if ! "$BUILD/tools/fuzz/fuzz_$t" "$out/corpus" "$ROOT/tools/fuzz/corpus/$t" \
        $( [ -d "$ROOT/tools/fuzz/regressions/$t" ] && echo "$ROOT/tools/fuzz/regressions/$t" ) \
        -max_total_time="$SECONDS_PER_TARGET" -max_len=65536 -rss_limit_mb=2048 -timeout=10 \
        -print_final_stats=1 -artifact_prefix="$out/" ${FUZZ_ARGS:-} >"$out.log" 2>&1; then
        echo "   FAILED: see $out.log and the crash-*/leak-*/timeout-*/oom-* files in $out/"
        status=1
    fi
    grep -E "^(stat::number_of_executed_units|stat::average_exec_per_sec|stat::new_units_added)" "$out.log" |
        sed 's/^/   /' || true
done
exit $status

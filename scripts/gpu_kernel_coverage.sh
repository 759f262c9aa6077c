#!/usr/bin/env bash
# Which GPU kernels the CPU-vs-GPU suites (tests/test_gpu_*) run: runs them in a build with a GPU,
# real or emulated (BUILD_DIR, default build-emu: -DTFC_CUDA_EMULATION=ON), with TFC_KERNEL_TRACE
# set, and prints each registered GPU kernel and dtype that no suite ran without error. Exits 1 when
# there is one, 2 when the suites fail.
#   BUILD_DIR=build-emu scripts/gpu_kernel_coverage.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
build=${BUILD_DIR:-build-emu}
trace=$(mktemp)
trap 'rm -f "$trace" "$trace.reg" "$trace.ran"' EXIT
TFC_KERNEL_TRACE=$trace ctest --test-dir "$build" -R '^test_gpu_' -j "${JOBS:-$(nproc)}" --output-on-failure >&2 || exit 2
"$build/tests/list_kernels" GPU | sort -u >"$trace.reg"
grep '^GPU ' "$trace" | sort -u >"$trace.ran" || true
missing=$(comm -23 "$trace.reg" "$trace.ran")
echo "GPU kernels (op, dtype): $(wc -l <"$trace.reg") registered, $(comm -12 "$trace.reg" "$trace.ran" | wc -l) run by the test_gpu_* suites"
if [ -n "$missing" ]; then
  echo "not run by any test_gpu_* suite:"
  echo "$missing" | sed 's/^GPU /  /'
  exit 1
fi

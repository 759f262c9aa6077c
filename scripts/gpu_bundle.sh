#!/usr/bin/env bash
# gpu_bundle: prepares, on this (GPU-less) machine, what scripts/gpu_check.sh runs on a lent GPU
# machine (the `device` tool's): that machine is bare — CUDA, cuDNN (from pip) and Python, but no
# Debian packages and no network — so the GPU suites, bench_gpu_matmul and the MNIST example are
# built here with CUDA and packed with the shared libraries they need (OpenBLAS, protobuf-c,
# snappy, CMocka; not glibc, libstdc++ or CUDA's own) and MNIST-format data into .gpu/bundle.tgz,
# which git ignores (.git/info/exclude). Then: device run with carry [".gpu"] and the command
# `scripts/gpu_check.sh`.
#   scripts/gpu_bundle.sh [MNIST_DATA_DIR]   (default ../shared/data/mnist-test)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
data=${1:-../shared/data/mnist-test}
build=${BUILD_DIR:-build-gpu}
cmake -S . -B "$build" -DTFC_CUDA=ON -DTFC_BUILD_EXAMPLES=ON -DTFC_BUILD_BENCH=ON >/dev/null
cmake --build "$build" -j "$(nproc)"
grep -qx '/.gpu/' .git/info/exclude 2>/dev/null || echo '/.gpu/' >>.git/info/exclude
rm -rf .gpu && mkdir -p .gpu/stage/bin .gpu/stage/lib .gpu/stage/data
bins=("$build"/tests/test_gpu_* "$build/bench/bench_gpu_matmul" "$build/examples/mnist/mnist")
cp "${bins[@]}" .gpu/stage/bin/
# The libraries the binaries load that a bare CUDA image lacks.
ldd "${bins[@]}" | awk '/=> \// {print $3}' | sort -u |
    grep -Ev '/(libc|libm|libdl|libpthread|librt|libgcc_s|libstdc\+\+|libcuda|libcudart|libcublas|libcublasLt|libcudnn[a-z_]*)\.so' |
    xargs -r -I{} cp -L {} .gpu/stage/lib/
cp "$data"/*-ubyte.gz .gpu/stage/data/
tar -C .gpu/stage -czf .gpu/bundle.tgz .
rm -rf .gpu/stage
ls -la .gpu/bundle.tgz

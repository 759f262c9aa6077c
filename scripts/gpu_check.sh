#!/usr/bin/env bash
# gpu_check: the proof run on a machine with an NVIDIA GPU, from the bundle scripts/gpu_bundle.sh
# made (carried as .gpu/): the GPU suites (each compares GPU kernels with the CPU's and with
# TensorFlow's fixtures), bench_gpu_matmul (tfc's MatMul against cuBLAS called directly), and the
# MNIST CNN trained for a fixed number of steps on the GPU and then on the CPU alone
# (CUDA_VISIBLE_DEVICES= hides the GPU), printing samples/s of each. Logs also go to $OUT.
#   scripts/gpu_check.sh [STEPS]   (default 300 CNN steps of batch 100 on each device)
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
steps=${1:-300}
out=${OUT:-/tmp/gpu_check}
mkdir -p "$out" /tmp/tfc_gpu && tar -C /tmp/tfc_gpu -xzf .gpu/bundle.tgz || exit 1
b=/tmp/tfc_gpu
# cuDNN and cuBLAS may come with the image's Python (pip's nvidia-* packages) rather than /usr/local/cuda.
py_libs=$(python3 -c 'import glob, os, nvidia; r = os.path.dirname(nvidia.__path__[0]); print(":".join(sorted(glob.glob(os.path.join(r, "nvidia", "*", "lib")))))' 2>/dev/null || true)
export LD_LIBRARY_PATH="$b/lib:${py_libs}:/usr/local/cuda/lib64:/usr/local/cuda/lib:${LD_LIBRARY_PATH:-}"
export TFC_TEST_DATA=$PWD/tests/data
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv | tee "$out/gpu.txt"
fail=0
for t in "$b"/bin/test_gpu_*; do
    echo "=== $(basename "$t")"
    "$t" 2>&1 | tee "$out/$(basename "$t").log"
    rc=${PIPESTATUS[0]}
    echo "=== $(basename "$t"): exit $rc"
    [ "$rc" -eq 0 ] || fail=1
done
echo "=== bench_gpu_matmul"
"$b/bin/bench_gpu_matmul" 2>&1 | tee "$out/bench_gpu_matmul.log"
train=(train --model cnn --data "$b/data" --train-split t10k --batch 100 --epochs 1000 --steps "$steps"
       --log-every 50 --threads "$(nproc)")
echo "=== MNIST CNN, $steps steps on the GPU"
(cd /tmp && "$b/bin/mnist" "${train[@]}" --out /tmp/cnn-gpu 2>&1) | tee "$out/mnist_gpu.log"
echo "=== MNIST CNN, $steps steps on the CPU ($(nproc) threads)"
(cd /tmp && CUDA_VISIBLE_DEVICES= "$b/bin/mnist" "${train[@]}" --out /tmp/cnn-cpu 2>&1) | tee "$out/mnist_cpu.log"
for d in gpu cpu; do
    echo "$d: $(grep -o '[0-9]* samples/s' "$out/mnist_$d.log" | tail -1)"
done | tee "$out/summary.txt"
exit $fail

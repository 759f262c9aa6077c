#!/usr/bin/env bash
# On a fresh Debian 12 machine: installs the dependencies, builds tfc and runs the main example.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
scripts/setup.sh
cmake -S . -B build
cmake --build build -j "$(nproc)"
./build/examples/hello/hello
./build/examples/iris/iris train --out build/iris-model

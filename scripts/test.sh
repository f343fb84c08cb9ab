#!/usr/bin/env bash
# The README's test command: installs what is missing, builds, runs every test (ctest).
# Extra arguments go to CMake's configure step (CI passes -DRATESCOPE_WERROR=ON).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@"
cmake --build build -j"$(nproc)"
ctest --test-dir build --output-on-failure -j"$(nproc)"

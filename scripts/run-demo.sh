#!/usr/bin/env bash
# The README's first command: installs what is missing, builds, opens the GUI on the demo traffic.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@"
cmake --build build -j"$(nproc)" --target ratescope
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  echo "No display found: starting the window on a virtual X server (xvfb-run)." >&2
  exec xvfb-run -a ./build/ratescope resources/demo/demo.ndjson.gz
fi
exec ./build/ratescope resources/demo/demo.ndjson.gz

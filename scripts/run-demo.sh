#!/usr/bin/env bash
# The README's first command: installs what is missing, builds, opens the GUI on the demo traffic.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@"
cmake --build build -j"$(nproc)" --target ratescope
# each API of the demo with its own limit (Scalekit 600/min, Skytells 120/min), Scalekit shown
demo=(--limits resources/demo/limits.json --scope acme.scalekit.dev resources/demo/demo.ndjson.gz)
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  echo "No display found: starting the window on a virtual X server (xvfb-run)." >&2
  exec xvfb-run -a ./build/ratescope "${demo[@]}"
fi
exec ./build/ratescope "${demo[@]}"

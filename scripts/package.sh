#!/usr/bin/env bash
# Builds the Debian package build-package/ratescope_<version>_amd64.deb and checks it without
# installing it. The build is portable (-DRATESCOPE_NATIVE_ARCH=OFF: any x86-64-v2 CPU; simdjson
# still picks its SIMD kernels at start-up), Release, stripped; CPack DEB computes Depends with
# dpkg-shlibdeps. Checks: lintian (no errors), desktop-file-validate, appstreamcli validate
# --no-net, then the unpacked programs (dpkg-deb -x into a temporary root) run --version and
# summarize the demo traffic; with a reference program (default build/ratescope, if built) the
# JSON must be byte for byte the same. Extra arguments go to CMake's configure step.
set -euo pipefail
cd "$(dirname "$0")/.."
reference=${RATESCOPE_REFERENCE:-build/ratescope}
scripts/deps.sh
cmake -S . -B build-package -G Ninja -DCMAKE_BUILD_TYPE=Release -DRATESCOPE_NATIVE_ARCH=OFF \
      -DRATESCOPE_BUILD_TESTS=OFF -DRATESCOPE_BUILD_BENCH=OFF "$@"
cmake --build build-package -j"$(nproc)"
rm -f build-package/ratescope_*.deb
(cd build-package && cpack -G DEB >/dev/null)
deb=$(ls build-package/ratescope_*_amd64.deb)
echo "== built $deb"
dpkg-deb --info "$deb" | sed -n 's/^ \(Package\|Version\|Architecture\|Depends\):/  \1:/p'

# lintian: warnings are printed, errors fail.
lintian --fail-on error --tag-display-limit 0 "$deb"

root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
dpkg-deb -x "$deb" "$root"
desktop-file-validate "$root"/usr/share/applications/*.desktop
appstreamcli validate --no-net "$root"/usr/share/metainfo/*.metainfo.xml
for size in 16 22 24 32 48 64 128 256; do
  file "$root/usr/share/icons/hicolor/${size}x${size}/apps/io.github.ratescope.RateScope.png" \
    | grep -q "PNG image data, $size x $size" || { echo "error: icon ${size}x${size} missing or wrong size" >&2; exit 1; }
done

"$root/usr/bin/ratescope" --version
demo="$root/usr/share/ratescope/demo.ndjson.gz"
"$root/usr/bin/ratescope" summarize --format json "$demo" > "$root/packaged.json"
grep -q '"requests"' "$root/packaged.json"
if [ -x "$reference" ]; then
  "$reference" summarize --format json "$demo" > "$root/reference.json"
  if ! cmp -s "$root/packaged.json" "$root/reference.json"; then
    echo "error: the packaged ratescope's JSON differs from $reference's:" >&2
    diff -u "$root/reference.json" "$root/packaged.json" | head -40 >&2
    exit 1
  fi
  echo "== the unpacked ratescope summarizes the demo byte for byte as $reference does"
else
  echo "== $reference not built: JSON comparison skipped"
fi
echo "== $deb passes lintian, desktop-file-validate and appstreamcli"

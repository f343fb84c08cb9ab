#!/usr/bin/env bash
# Installs what RateScope needs to build, run, test and package on Debian 12, if it is missing.
# Every package comes from Debian's archive; nothing is downloaded from elsewhere.
# .ci/run checks this list with scripts/deps-closure: a build that reads a file owned by a
# package outside the list's dependency closure fails CI (a fresh machine would lack it).
set -euo pipefail

packages=(
  cmake ninja-build g++ pkg-config          # build
  qt6-base-dev qt6-charts-dev qt6-qpa-plugins # Qt 6: Core, Gui, Widgets, Network, Concurrent, Test, Charts
  libqt6opengl6-dev                          # Qt6ChartsConfig.cmake needs Qt6OpenGL; qt6-charts-dev does not depend on it
  nlohmann-json3-dev libsimdjson-dev zlib1g-dev
  libyaml-cpp-dev                            # YAML cassettes (vcrpy, Ruby VCR, R vcr)
  libqt6sql6-psql                            # QtSql's PostgreSQL driver (postgresql:// sources, push)
  postgresql-15                              # a real server for tst_engine_pg and bench_engine (not run as a service)
  fonts-dejavu-core                          # readable text in headless screenshots
  xvfb xauth                                 # a real X server for the window tests and screenshots
  clang libclang-rt-14-dev                   # libFuzzer and sanitizer runtimes (tests/fuzz)
  poppler-utils                              # pdftoppm/pdftotext, to look at PDF reports
  python3                                    # scripts/deps-closure, scripts/check-includes
  clang-format-14                            # scripts/format --check (style.md rule 13)
  dpkg-dev fakeroot file                     # scripts/package.sh: dpkg-shlibdeps computes Depends
  lintian desktop-file-utils appstream       # scripts/package.sh checks the .deb, .desktop and metainfo
  clickhouse-server clickhouse-client        # tst_engine_clickhouse, bench_engine_clickhouse: a real
                                             # ClickHouse 18.16, started by the tests (never a service)
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
echo "Installing: ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null

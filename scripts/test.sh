#!/usr/bin/env bash
# The README's test command: installs what is missing, builds, runs every test (ctest); then
# the whole suite again under AddressSanitizer + UndefinedBehaviorSanitizer (build-asan/), and
# a short libFuzzer run of each harness in tests/fuzz when clang++ is there (build-fuzz/).
# Extra arguments go to CMake's configure step of build/ and build-asan/ (CI passes
# -DRATESCOPE_WERROR=ON). Prints how long each phase took.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs="$(nproc)"
start=$SECONDS
mark=$SECONDS
phase() {
  echo "== $1 took $((SECONDS - mark)) s (total $((SECONDS - start)) s)"
  mark=$SECONDS
}

scripts/deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@"
cmake --build build -j"$jobs"
phase "build"
ctest --test-dir build --output-on-failure -j"$jobs"
phase "tests"

# The same tests under ASan + UBSan (gcc). halt_on_error: the first report fails the test.
# Leak detection stays on: the whole suite ran clean with it (Qt frees what it allocates at
# exit, QtGui image and font code included). tests/lsan.supp lists only fontconfig's
# process-lifetime caches (for the offscreen GUI tests); nothing allocated by our code.
# -O1 -g1 (line tables only): the sanitizers' recommended level, and a much quicker build
# than -O2 -g, with file:line in every report.
cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
      -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1 -DNDEBUG" \
      -DRATESCOPE_SANITIZE=ON -DRATESCOPE_NATIVE_ARCH=ON "$@"
cmake --build build-asan -j"$jobs"
phase "sanitizer build"
ASAN_OPTIONS="halt_on_error=1:detect_leaks=1:abort_on_error=1" \
LSAN_OPTIONS="suppressions=$PWD/tests/lsan.supp:print_suppressions=0" \
UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1" \
  ctest --test-dir build-asan --output-on-failure -j"$jobs"
phase "tests under ASan + UBSan"

# libFuzzer harnesses, about 60 s each (label fuzz); crashes go to build-fuzz/fuzz-artifacts/.
if command -v clang++ >/dev/null 2>&1; then
  # binutils' ar and ranlib, as g++ brings them: left to itself CMake takes llvm-ar and ld.lld
  # when a machine happens to have them (not in the install list: deps-closure caught it).
  cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
        -DCMAKE_CXX_COMPILER=clang++ -DRATESCOPE_FUZZ=ON \
        -DCMAKE_AR=/usr/bin/ar -DCMAKE_RANLIB=/usr/bin/ranlib -DCMAKE_LINKER=/usr/bin/ld \
        -DCMAKE_CXX_COMPILER_AR=/usr/bin/ar -DCMAKE_CXX_COMPILER_RANLIB=/usr/bin/ranlib
  cmake --build build-fuzz -j"$jobs"
  phase "fuzz build"
  ctest --test-dir build-fuzz -L fuzz --output-on-failure -j"$jobs"
  phase "fuzzing"
else
  echo "== fuzzing skipped: clang++ not found (scripts/deps.sh installs clang and libclang-rt-14-dev)"
fi
echo "== scripts/test.sh took $((SECONDS - start)) s"

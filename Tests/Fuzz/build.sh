#!/usr/bin/env bash
# Builds the libFuzzer target over the model reader (Tests/Fuzz/ModelFuzzer.swift) with swiftc,
# since SwiftPM does not build fuzz targets: each module becomes one object, compiled with
# libFuzzer's coverage and AddressSanitizer, in dependency order, then all are linked.
# Output: .build/fuzz/fuzz-model (override the folder with FUZZ_BUILD). See docs/fuzzing.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
export PATH="/opt/swift/usr/bin:$PATH"
out="${FUZZ_BUILD:-.build/fuzz}"
mkdir -p "$out"
# One package name for every module, as SwiftPM gives its targets, so that `package` declarations
# (the engine's components) are visible across them.
flags=(-sanitize=fuzzer,address -O -wmo -parse-as-library -g -package-name faultline)

# module NAME [extra flags...]: compiles Sources/NAME into $out/NAME.o and NAME.swiftmodule.
module() {
    local name="$1"; shift
    echo "fuzz build: $name"
    swiftc "${flags[@]}" "$@" -module-name "$name" -emit-module -emit-module-path "$out/$name.swiftmodule" \
        -I "$out" -c $(find "Sources/$name" -name '*.swift' | sort) -o "$out/$name.o"
}
# The engine's two modules turn off dynamic exclusivity checks, as Package.swift does.
module SimulationKernel -enforce-exclusivity=unchecked
module FailureChains -enforce-exclusivity=unchecked
module ModelFormat

echo "fuzz build: fuzz-model"
swiftc "${flags[@]}" -module-name ModelFuzzer -I "$out" -c Tests/Fuzz/ModelFuzzer.swift -o "$out/ModelFuzzer.o"
# The linker warns "cannot export local symbol" for each module; the warnings are harmless.
status=0
swiftc -sanitize=fuzzer,address -g "$out/SimulationKernel.o" "$out/FailureChains.o" "$out/ModelFormat.o" \
    "$out/ModelFuzzer.o" -o "$out/fuzz-model" 2> "$out/link.log" || status=$?
grep -vi "cannot export local symbol" "$out/link.log" >&2 || true
if [ "$status" -ne 0 ]; then exit "$status"; fi
echo "fuzz build: $out/fuzz-model"

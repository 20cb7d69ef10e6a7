#!/usr/bin/env bash
# Builds the libFuzzer harnesses into .build-fuzz/ (git-ignored). The HDF5 and LFADSIR modules are built
# once as static libraries instrumented for libFuzzer + AddressSanitizer (with -enable-testing so harnesses
# can reach internal seams through @testable import); each harness links against them. Rebuilds happen
# only when a module's sources or the flags change.
# Usage: fuzz/build.sh [hdf5|inflate|keras|ir|seedgen ...]   (no argument: all)
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="${FUZZ_BUILD_DIR:-$REPO/.build-fuzz}"
SWIFTC="${SWIFTC:-swiftc}"
SANITIZE="${FUZZ_SANITIZE:-fuzzer,address}"
FLAGS=(-O -sanitize="$SANITIZE" -parse-as-library -enable-testing -g)
LINK=(-use-ld=lld)
mkdir -p "$OUT"

# Fails loudly when the toolchain cannot build libFuzzer binaries.
check_toolchain() {
    command -v "$SWIFTC" >/dev/null || { echo "fuzz: swiftc not found" >&2; return 1; }
    local probe="$OUT/probe"
    mkdir -p "$probe"
    printf '@_cdecl("LLVMFuzzerTestOneInput") public func fuzz(_ d: UnsafePointer<UInt8>, _ n: Int) -> CInt { 0 }\n' > "$probe/p.swift"
    if ! "$SWIFTC" -sanitize=fuzzer -parse-as-library "$probe/p.swift" -o "$probe/p" >"$probe/log" 2>&1; then
        echo "fuzz: '$SWIFTC -sanitize=fuzzer' does not work on this machine:" >&2
        cat "$probe/log" >&2
        return 1
    fi
}

stamp_of() { # hash of the given files' contents and the flags
    { printf '%s\n' "${FLAGS[@]}" "$("$SWIFTC" --version 2>&1 | head -1)"; cat "$@"; } | sha256sum | cut -d' ' -f1
}

build_module() { # name
    local name="$1"
    mapfile -t sources < <(find "$REPO/Sources/$name" -name '*.swift' | LC_ALL=C sort)
    # LFADSIR is compiled against HDF5's module: a changed HDF5 rebuilds it.
    local deps=("${sources[@]}"); [[ "$name" == HDF5 ]] || deps+=("$OUT/HDF5.stamp")
    local stamp; stamp="$(stamp_of "${deps[@]}")"
    if [[ -f "$OUT/lib$name.a" && "$(cat "$OUT/$name.stamp" 2>/dev/null)" == "$stamp" ]]; then return 0; fi
    echo "fuzz: building module $name (${#sources[@]} files)"
    "$SWIFTC" "${FLAGS[@]}" -wmo -module-name "$name" -I "$OUT" \
        -emit-module -emit-module-path "$OUT/$name.swiftmodule" \
        -emit-library -static -o "$OUT/lib$name.a" "${sources[@]}"
    echo "$stamp" > "$OUT/$name.stamp"
}

build_target() { # target
    local target="$1" libs shared
    case "$target" in
        hdf5|inflate) build_module HDF5; libs=(-lHDF5); shared="$REPO/Tests/HDF5Tests/FuzzExercise.swift" ;;
        keras|ir|seedgen) build_module HDF5; build_module LFADSIR; libs=(-lLFADSIR -lHDF5)
            shared="$REPO/Tests/LFADSIRTests/IR/IRFuzzExercise.swift" ;;
        *) echo "fuzz: unknown target '$target' (hdf5, inflate, keras, ir, seedgen)" >&2; return 2 ;;
    esac
    # The harness plus the exercise file the replay tests share with it.
    mapfile -t sources < <(find "$REPO/fuzz/$target" -name '*.swift' | LC_ALL=C sort)
    sources+=("$shared")
    local deps=("${sources[@]}" "$OUT/libHDF5.a")
    [[ -f "$OUT/libLFADSIR.a" && "${libs[0]}" == -lLFADSIR ]] && deps+=("$OUT/libLFADSIR.a")
    local stamp; stamp="$(stamp_of "${deps[@]}")"
    if [[ -x "$OUT/fuzz-$target" && "$(cat "$OUT/fuzz-$target.stamp" 2>/dev/null)" == "$stamp" ]]; then return 0; fi
    echo "fuzz: building fuzz-$target"
    "$SWIFTC" "${FLAGS[@]}" "${LINK[@]}" -module-name "Fuzz_$target" -I "$OUT" -L "$OUT" "${sources[@]}" "${libs[@]}" \
        -o "$OUT/fuzz-$target"
    echo "$stamp" > "$OUT/fuzz-$target.stamp"
}

check_toolchain
targets=("$@")
(( ${#targets[@]} )) || targets=(hdf5 inflate keras ir)
for t in "${targets[@]}"; do build_target "$t"; done

#!/usr/bin/env bash
# Builds and runs libFuzzer harnesses. Usage: fuzz/run.sh [TARGET|all] [SECONDS] [extra libFuzzer flags...]
#   TARGET: hdf5 (HDF5 reader, whole files), inflate, keras (model_config JSON), ir (IR text), checkpoint (.ckpt
#   files: zip, pickle, lfads-torch import); default all.
#   hdf5-nocrc: the HDF5 harness over a library build that ignores metadata checksum mismatches (not in "all").
#   SECONDS: run time per target (default 60).
# The corpus persists in .build-fuzz/corpus/<target> (seeded from fuzz/seeds/<target>, and for hdf5 also from
# Tests/HDF5Tests/Fixtures/*.h5 and examples/**/*.h5); crash inputs land in .build-fuzz/artifacts/<target>/.
# A crash input worth keeping: minimize it and commit it under fuzz/crashes/<target>/ (see docs/reliability.md);
# the replay tests then run it under plain `swift test`.
# Environment: FUZZ_MAX_LEN (default 20480 for hdf5 — larger inputs are truncated by libFuzzer, which keeps the
# reader at hundreds of executions per second — and 65536 otherwise), FUZZ_NICE (default 19).
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="$REPO/.build-fuzz"
target="${1:-all}"
seconds="${2:-60}"
shift $(( $# > 2 ? 2 : $# ))
targets=(hdf5 inflate keras ir checkpoint)
[[ "$target" == all ]] || targets=("$target")

"$REPO/fuzz/build.sh" "${targets[@]}"

seed() { # target corpus-dir
    local t="$1" dir="$2"
    mkdir -p "$dir"
    local s="${t%-nocrc}"
    cp -n "$REPO/fuzz/seeds/$s"/* "$dir"/ 2>/dev/null || true
    if [[ "$s" == hdf5 ]]; then
        shopt -s nullglob globstar
        for f in "$REPO"/Tests/HDF5Tests/Fixtures/*.h5 "$REPO"/examples/**/*.h5; do cp -n "$f" "$dir"/; done
        shopt -u nullglob globstar
    fi
}

status=0
for t in "${targets[@]}"; do
    corpus="$OUT/corpus/$t"
    artifacts="$OUT/artifacts/$t"
    seed "$t" "$corpus"
    mkdir -p "$artifacts"
    maxlen="${FUZZ_MAX_LEN:-$([[ $t == hdf5* ]] && echo 20480 || echo 65536)}"
    dict=(); [[ -f "$REPO/fuzz/$t.dict" ]] && dict=(-dict="$REPO/fuzz/$t.dict")
    echo "fuzz: $t for ${seconds}s (corpus $corpus)"
    if ! nice -n "${FUZZ_NICE:-19}" "$OUT/fuzz-$t" "$corpus" -max_total_time="$seconds" -max_len="$maxlen" \
            -timeout=25 -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$artifacts/" "${dict[@]}" "$@"; then
        echo "fuzz: $t FOUND A CRASH; inputs in $artifacts/ — minimize with" >&2
        echo "  $OUT/fuzz-$t -minimize_crash=1 -runs=20000 -exact_artifact_path=fuzz/crashes/$t/<name> <crash-file>" >&2
        status=1
    fi
done
exit $status

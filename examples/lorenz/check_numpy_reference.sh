#!/usr/bin/env bash
# Compares tools/lfads_numpy_reference.py with the committed lfads-torch float64
# references for both Lorenz models; exits non-zero if any output differs by
# more than 1e-9 (relative). Needs python3 with numpy and h5py.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
tool="$here/../../tools/lfads_numpy_reference.py"
status=0
for model in lorenz_nocon lorenz_con; do
    echo "== $model"
    out="$(python3 "$tool" "$here/models/$model.h5" "$here/reference/${model}_valid_ref.h5" \
        --trials 20 --compare "$here/reference/${model}_valid_ref.h5")"
    echo "$out"
    worst="$(echo "$out" | awk '/^worst relative error/ {print $4}')"
    if ! python3 -c "import sys; sys.exit(0 if float('$worst') <= 1e-9 else 1)"; then
        echo "FAIL: $model worst relative error $worst > 1e-9"
        status=1
    fi
done
exit $status

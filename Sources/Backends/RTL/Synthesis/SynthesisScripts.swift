/// The fixed scripts of the synthesis flow: the per-unit runner with its content cache (POSIX sh) and the
/// Tcl that Yosys runs for one unit (Tcl gives the wall-clock time and the output folder from the environment).
enum SynthesisScripts {
    static let unitShell = #"""
#!/bin/sh
# Synthesises one unit of the plan out of context, or takes its results from the cache when the same Yosys
# has already synthesised the same script over the same file contents. Run from the project root.
set -eu
unit=$1
YOSYS=${YOSYS:-yosys}
cache=${SYNTH_CACHE:-synth/cache}
out=synth/out/$unit
tmp=$out.tmp.$$
rm -rf "$tmp"
mkdir -p "$tmp"
trap 'rm -rf "$tmp"' EXIT
# The cache key is the full text below: entries store it and a hit compares it byte for byte.
{
    "$YOSYS" -V
    cat synth/run_unit.tcl "synth/units/$unit.ys"
    while IFS= read -r f; do
        if [ ! -f "$f" ]; then echo "synth: $unit: missing file $f" >&2; exit 1; fi
        printf '== %s\n' "$f"
        cat "$f"
    done < "synth/units/$unit.files"
} > "$tmp/key"
set -- $(cksum < "$tmp/key")
entry=$cache/$1-$2
if [ -f "$entry/key" ] && cmp -s "$entry/key" "$tmp/key"; then
    for f in stat.json ltp.txt luts.txt time.txt; do cp "$entry/$f" "$tmp/$f"; done
    echo cached > "$tmp/source"
    echo "synth: $unit (cached)"
else
    echo "synth: $unit ..."
    if ! SYNTH_UNIT=$unit SYNTH_OUT=$tmp "$YOSYS" -q -l "$tmp/yosys.log" -c synth/run_unit.tcl >/dev/null 2>&1; then
        mkdir -p synth/logs
        cp "$tmp/yosys.log" "synth/logs/$unit.log" 2>/dev/null || true
        echo "synth: $unit: yosys failed; see synth/logs/$unit.log" >&2
        exit 1
    fi
    echo synthesised > "$tmp/source"
    # Publish the entry by rename so parallel runs never read a half-written one.
    mkdir -p "$cache"
    stage=$cache/.$1-$2.$$
    rm -rf "$stage"
    mkdir "$stage"
    for f in key stat.json ltp.txt luts.txt time.txt yosys.log; do cp "$tmp/$f" "$stage/$f"; done
    rm -rf "$entry"
    mv "$stage" "$entry" 2>/dev/null || rm -rf "$stage"
    echo "synth: $unit done in $(cat "$tmp/time.txt") ms"
fi
rm -rf "$out"
mv "$tmp" "$out"
trap - EXIT
"""#

    /// The depth figure: `ltp` counts the cells on the longest path through the selected cells, so every
    /// sequential primitive is deselected (which also cuts feedback loops). `-noff` alone does not do it after
    /// `synth_xilinx`: it knows only Yosys's internal flip-flop cells, not FDRE and its kind.
    static let runUnitTcl = #"""
# Synthesises one unit (SYNTH_UNIT) with its Yosys script and writes into SYNTH_OUT: stat.json (cells by
# type), ltp.txt (longest combinational path), luts.txt (LUT cell names) and time.txt (synthesis wall ms).
set unit $::env(SYNTH_UNIT)
set out $::env(SYNTH_OUT)
set t0 [clock milliseconds]
yosys script synth/units/$unit.ys
set t1 [clock milliseconds]
yosys tee -q -o $out/stat.json stat -json
# Sequential cells cut paths: flip-flops, shift registers, block and ultra RAM (their outputs are registered).
set script [open synth/units/$unit.ys]
set text [read $script]
close $script
if {[string first "# depth: not measured" $text] >= 0} {
    set f [open $out/ltp.txt w]
    puts $f "depth not measured"
    close $f
} else {
    yosys tee -q -o $out/ltp.txt ltp -noff t:FD* t:SRL* t:RAMB* t:URAM* %u %u %u %n
}
yosys tee -q -o $out/luts.txt select -list t:LUT*
set f [open $out/time.txt w]
puts $f [expr {$t1 - $t0}]
close $f
"""#
}

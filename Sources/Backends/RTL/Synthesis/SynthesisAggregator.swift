/// The aggregation step of `make synth`, run by Yosys's Tcl interpreter (`yosys -c`), so the project needs no
/// Python or lfadsc to produce reports/utilization.json. When a unit's DSP48E2 count differs from the plan's
/// analytic count, the report is written as reports/utilization.failed.json instead and the step fails.
enum SynthesisAggregator {
    static let tcl = #"""
# Aggregates the per-unit Yosys results under synth/out into reports/utilization.json: cells by type per
# unit, per-instance and per-design category totals, % of the device, the DSP checks and the deepest path.
# Runs in Yosys's own Tcl interpreter (yosys -c), so the project needs nothing else to produce the report.
source synth/plan.tcl

proc jstr {s} {
    set m [list \\ \\\\ \" \\\" \n \\n \r \\r \t \\t]
    set s [string map $m $s]
    regsub -all {[\x00-\x1f]} $s {} s
    return "\"$s\""
}
proc readfile {path} {
    if {![file exists $path]} { error "synth: missing result file $path (run the unit again)" }
    set f [open $path r]; set text [read $f]; close $f
    return $text
}
# The design-wide cell counts of a `stat -json` file (one flattened top per unit).
proc cellcounts {path} {
    set text [readfile $path]
    set at [string first {"design":} $text]
    if {$at < 0} { set at 0 }
    set at [string first {"num_cells_by_type":} $text $at]
    if {$at < 0} { return [dict create] }
    set end [string first "\}" $text $at]
    set cells [dict create]
    foreach {- type n} [regexp -all -inline {"([^"]+)":\s*([0-9]+)} [string range $text $at+20 $end]] {
        dict set cells $type $n
    }
    return $cells
}
# Resource categories of UltraScale+ primitives (RAMB36 counts as two RAMB18).
proc categories {cells} {
    set c [dict create dsp 0 lut 0 ff 0 carry 0 muxf 0 bram18 0 uram 0 lutram 0 srl 0 lutram_luts 0]
    dict for {type n} $cells {
        if {[regexp {^DSP48} $type]} { dict incr c dsp $n
        } elseif {[regexp {^LUT[1-6](_2)?$} $type]} { dict incr c lut $n
        } elseif {[regexp {^FD[RSCP]E$} $type]} { dict incr c ff $n
        } elseif {[regexp {^CARRY[48]$} $type]} { dict incr c carry $n
        } elseif {[regexp {^MUXF[789]$} $type]} { dict incr c muxf $n
        } elseif {[regexp {^RAMB18} $type]} { dict incr c bram18 $n
        } elseif {[regexp {^RAMB36} $type]} { dict incr c bram18 [expr {2 * $n}]
        } elseif {[regexp {^URAM} $type]} { dict incr c uram $n
        } elseif {[regexp {^RAM(16|32|64|128|256|512)} $type]} {
            dict incr c lutram $n
            # LUTs a LUT-RAM cell occupies: the M8/M16 forms a whole SLICEM (8), the M forms 4, X1D/X1S by depth.
            set per 1
            if {[regexp {M(8|16)$} $type]} { set per 8 } elseif {[regexp {M$} $type]} { set per 4
            } elseif {[regexp {^RAM(\d+)X1([DS])} $type - d k]} { set per [expr {max(1, $d / 64) * ($k eq "D" ? 2 : 1)}] }
            dict incr c lutram_luts [expr {$per * $n}]
        } elseif {[regexp {^SRL} $type]} { dict incr c srl $n }
    }
    return $c
}
# Longest path from `ltp` over the combinational cells, and how many of its cells are LUTs.
proc depth {dir} {
    set text [readfile $dir/ltp.txt]
    # A unit whose depth the plan does not measure (the top) reports -1 levels and is never the deepest.
    if {[string first "depth not measured" $text] >= 0} { return [list -1 -1 false] }
    set levels 0
    regexp {length=([0-9]+)} $text - levels
    set luts [dict create]
    foreach line [split [readfile $dir/luts.txt] "\n"] {
        set line [string trim $line]
        set slash [string first / $line]
        if {$slash >= 0} { dict set luts [string range $line $slash+1 end] 1 }
    }
    set lutLevels 0
    foreach line [split $text "\n"] {
        if {[regexp {\(via (.*)\)\s*$} $line - cell] && [dict exists $luts $cell]} { incr lutLevels }
    }
    # ltp warns and carries on when the combinational cells form a loop: a design bug the report must show.
    set loop [expr {[string first "Detected loop" $text] >= 0 ? "true" : "false"}]
    return [list $levels $lutLevels $loop]
}
proc jdict {d} {
    set parts {}
    dict for {k v} $d { lappend parts "[jstr $k]: $v" }
    return "\{[join $parts {, }]\}"
}

set keys {dsp lut ff carry muxf bram18 uram lutram srl lutram_luts}
set totals [dict create]
foreach k $keys { dict set totals $k 0 }
set unitJson {}
set failures {}
set composed {}
set deepest {}
set seconds 0.0
set version unknown
foreach u $units {
    set name [dict get $u name]
    set dir synth/out/$name
    set cells [cellcounts $dir/stat.json]
    regexp {"creator":\s*"([^"]*)"} [readfile $dir/stat.json] - version
    set per [categories $cells]
    set n [dict get $u instances]
    set total [dict create]
    foreach k $keys {
        dict set total $k [expr {[dict get $per $k] * $n}]
        dict incr totals $k [dict get $total $k]
    }
    lassign [depth $dir] levels lutLevels loop
    if {$deepest eq {} || $levels > [lindex $deepest 1]} { set deepest [list $name $levels $lutLevels] }
    set ms [string trim [readfile $dir/time.txt]]
    set secs [format %.3f [expr {$ms / 1000.0}]]
    set seconds [expr {$seconds + $secs}]
    set cached [expr {[string trim [readfile $dir/source]] eq "cached" ? "true" : "false"}]
    set check null
    set expected [dict get $u expected_dsp]
    if {$expected >= 0} {
        if {[dict get $per dsp] == $expected} { set check [jstr pass] } else {
            set check [jstr fail]
            lappend failures "$name: expected $expected DSP48E2 per instance, Yosys kept [dict get $per dsp]"
        }
        set expectedJson $expected
    } else { set expectedJson null }
    if {[dict get $u composed]} { lappend composed $name }
    lappend unitJson "    \{\"name\": [jstr $name], \"top\": [jstr [dict get $u top]], \"instances\": $n,\
\"composed\": [expr {[dict get $u composed] ? "true" : "false"}], \"note\": [jstr [dict get $u note]],\
\"cached\": $cached, \"yosys_seconds\": $secs,\n     \"cells\": [jdict $cells],\n     \"per_instance\": [jdict $per],\
\n     \"total\": [jdict $total],\n     \"expected_dsp\": $expectedJson, \"dsp_check\": $check,\
\"depth\": \{\"levels\": $levels, \"lut_levels\": $lutLevels, \"loop\": $loop\}\}"
}
set percent {}
# LUT usage as Vivado's "CLB LUTs" counts it: logic LUTs, LUTs used as shift registers and as LUT-RAM.
set clb [expr {[dict get $totals lut] + [dict get $totals srl] + [dict get $totals lutram_luts]}]
foreach {k d} {dsp dsp lut lut ff ff bram18 bram18 uram uram} {
    set avail [dict get $device $d]
    set used [expr {$k eq "lut" ? $clb : [dict get $totals $k]}]
    set p [expr {$avail > 0 ? 100.0 * $used / $avail : 0.0}]
    lappend percent "[jstr $k]: [format %.2f $p]"
}
set failJson {}
foreach m $failures { lappend failJson [jstr $m] }
set compJson {}
foreach m $composed { lappend compJson [jstr $m] }
set deepJson null
if {$deepest ne {}} {
    lassign $deepest dn dl dll
    set deepJson "\{\"unit\": [jstr $dn], \"levels\": $dl, \"lut_levels\": $dll\}"
}
file mkdir reports
set tmp reports/utilization.json.tmp
set f [open $tmp w]
puts $f "\{\n  \"format\": 1,\n  \"tool\": [jstr $version],\n  \"flow\": [jstr $flow],"
puts $f "  \"device\": \{\"name\": [jstr [dict get $device name]], \"part\": [jstr [dict get $device part]],\
\"dsp\": [dict get $device dsp], \"lut\": [dict get $device lut], \"ff\": [dict get $device ff],\
\"bram18\": [dict get $device bram18], \"uram\": [dict get $device uram]\},"
puts $f "  \"units\": \[\n[join $unitJson ",\n"]\n  \],"
puts $f "  \"totals\": [jdict $totals],\n  \"percent\": \{[join $percent {, }]\},"
puts $f "  \"composed_units\": \[[join $compJson {, }]\],\n  \"deepest_path\": $deepJson,"
puts $f "  \"yosys_seconds\": [format %.3f $seconds],\n  \"dsp_check_failures\": \[[join $failJson {, }]\]\n\}"
close $f
# A failed check must fail every later `make synth` too, so the report does not take the target's name.
if {[llength $failures]} {
    file delete reports/utilization.json
    file rename -force $tmp reports/utilization.failed.json
    foreach m $failures { puts stderr "synth: DSP CHECK FAILED: $m" }
    puts stderr "synth: report written to reports/utilization.failed.json"
    exit 1
}
file delete reports/utilization.failed.json
file rename -force $tmp reports/utilization.json
"""#
}

#!/usr/bin/env bash
# Prints the one summary line of a test run, "N passed, N failed", from the XCTest xunit file that
# `swift test --parallel --xunit-output FILE` writes (the parallel runner prints no closing count).
# usage: test-summary.sh XUNIT_FILE XCTEST_STATUS [FUZZ_STATUS]
# With FUZZ_STATUS the fuzz smoke run counts as one more test. Skipped tests count as passed: the parallel
# runner records an XCTSkip as a pass. A non-zero XCTEST_STATUS with no failure in the file (a crash, or no
# file at all) counts as one failure, so the line never reads "0 failed" for a failed run.
set -uo pipefail
xml="$1" status="$2" fuzz="${3:-}"
sum() { # the sum of attribute $1 over every <testsuite> element
    grep -o '<testsuite [^>]*' "$xml" | grep -o " $1=\"[0-9]*\"" | tr -dc '0-9\n' | awk '{ s += $1 } END { print s + 0 }'
}
passed=0 failed=0
if [[ -s "$xml" ]]; then
    failed=$(( $(sum failures) + $(sum errors) ))
    passed=$(( $(sum tests) - failed ))
fi
if (( status != 0 && failed == 0 )); then failed=1; fi
if [[ -n "$fuzz" ]]; then
    if (( fuzz == 0 )); then passed=$((passed + 1)); else failed=$((failed + 1)); fi
fi
echo "$passed passed, $failed failed"

// C-simulation oracle for LookupTable.cppIndexExpression: the generated translation unit defines one function per
// (table, input type) whose body is the emitted C++ index expression applied to an ap_fixed variable, and calls
// run_index_oracle. Each stdin line is "<function> <raw>" (raw code of that function's input type, decimal);
// each output line is the index.
#ifndef LFADSC_TABLE_INDEX_ORACLE_HPP
#define LFADSC_TABLE_INDEX_ORACLE_HPP

#include <ap_fixed.h>

#include <cstdio>

typedef unsigned (*IndexFunction)(long long);

template <class T>
static T from_raw(long long raw) {
  T value;
  value.setBits((ap_ulong)raw);  // keeps the low W bits
  return value;
}

static int run_index_oracle(const IndexFunction* functions, long long count) {
  long long index, raw;
  while (std::scanf("%lld %lld", &index, &raw) == 2) {
    if (index < 0 || index >= count) {
      std::fprintf(stderr, "function index %lld out of range\n", index);
      return 2;
    }
    std::printf("%u\n", functions[index](raw));
  }
  return 0;
}

#endif

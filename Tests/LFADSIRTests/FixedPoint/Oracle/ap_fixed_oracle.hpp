// C-simulation oracle for lfadsc's fixed-point numerics: every operation is done by the real ap_fixed headers.
//
// The test generates the translation unit: it includes this file, defines a table of instantiations of the
// templates below (one per source/target type combination) and calls run_oracle. Each stdin line is
// "<index> <a> <b>":
// a and b are raw codes of the operand types (decimal int64), or for op_double the double's bit pattern in a.
// Each output line is the target's raw code as an unsigned W-bit integer (decimal).
#ifndef LFADSC_AP_FIXED_ORACLE_HPP
#define LFADSC_AP_FIXED_ORACLE_HPP

#include <ap_fixed.h>

#include <cstdio>
#include <cstring>

typedef unsigned long long (*Operation)(long long, long long);

template <class T>
static T from_raw(long long raw) {
  T value;
  value.setBits((ap_ulong)raw);  // keeps the low W bits
  return value;
}

template <class T>
static unsigned long long to_bits(const T& value) {
  return value.range(T::width - 1, 0).to_uint64();
}

// `D d = s;` — the assignment under test.
template <class S, class D>
static unsigned long long op_cast(long long a, long long) {
  const S s = from_raw<S>(a);
  D d = s;
  return to_bits(d);
}

// Full-precision product, then one assignment.
template <class A, class B, class D>
static unsigned long long op_mul(long long a, long long b) {
  const A x = from_raw<A>(a);
  const B y = from_raw<B>(b);
  D d = x * y;
  return to_bits(d);
}

template <class A, class B, class D>
static unsigned long long op_add(long long a, long long b) {
  const A x = from_raw<A>(a);
  const B y = from_raw<B>(b);
  D d = x + y;
  return to_bits(d);
}

template <class A, class B, class D>
static unsigned long long op_sub(long long a, long long b) {
  const A x = from_raw<A>(a);
  const B y = from_raw<B>(b);
  D d = x - y;
  return to_bits(d);
}

// `D d = v;` from a double given by its bit pattern.
template <class D>
static unsigned long long op_double(long long a, long long) {
  double v;
  std::memcpy(&v, &a, sizeof v);
  D d = v;
  return to_bits(d);
}

// Answers every stdin record with the operation it names; the table comes from the generated file.
static int run_oracle(const Operation* operations, long long count) {
  long long index, a, b;
  while (std::scanf("%lld %lld %lld", &index, &a, &b) == 3) {
    if (index < 0 || index >= count) {
      std::fprintf(stderr, "operation index %lld out of range\n", index);
      return 2;
    }
    std::printf("%llu\n", operations[index](a, b));
  }
  return 0;
}

#endif

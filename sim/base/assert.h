#pragma once

// IBSIM_ASSERT: an always-on invariant check (release builds included). A simulator that carries on
// in a wrong state gives wrong answers, so a broken invariant prints where and why, then aborts.
// Never assert on something outside input can cause: bad input becomes an AwsError instead.
//
//   IBSIM_ASSERT(at >= now_, "events are never scheduled in the past");

namespace ibsim::sim::internal {

[[noreturn]] void assert_fail(const char* condition, const char* why, const char* file, int line);

}  // namespace ibsim::sim::internal

#define IBSIM_ASSERT(condition, why)                                            \
  do {                                                                          \
    if (!(condition)) [[unlikely]] {                                            \
      ::ibsim::sim::internal::assert_fail(#condition, why, __FILE__, __LINE__); \
    }                                                                           \
  } while (false)

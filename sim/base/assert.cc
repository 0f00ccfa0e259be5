#include "sim/base/assert.h"

#include <cstdio>
#include <cstdlib>

namespace ibsim::sim::internal {

void assert_fail(const char* condition, const char* why, const char* file, int line) {
  std::fprintf(stderr, "ibsim: invariant broken at %s:%d: %s (%s)\n", file, line, condition, why);
  std::fflush(stderr);
  std::abort();
}

}  // namespace ibsim::sim::internal

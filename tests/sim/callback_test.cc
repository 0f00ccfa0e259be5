#include "sim/callback.h"

#include <array>
#include <memory>

#include <catch2/catch.hpp>

namespace ibsim::sim {
namespace {

TEST_CASE("Callback: small lambdas run from inline storage", "[sim]") {
  int hits = 0;
  Callback cb = [&hits] {
    ++hits;
  };
  REQUIRE(static_cast<bool>(cb));
  cb();
  cb();
  CHECK(hits == 2);
}

TEST_CASE("Callback: large captures move to the heap and still run", "[sim]") {
  std::array<int64_t, 32> big{};
  big[31] = 7;
  int64_t seen = 0;
  Callback cb = [big, &seen] {
    seen = big[31];
  };
  Callback moved = std::move(cb);
  CHECK_FALSE(static_cast<bool>(cb));  // NOLINT(bugprone-use-after-move): testing moved-from state
  moved();
  CHECK(seen == 7);
}

TEST_CASE("Callback: captured state is destroyed exactly once", "[sim]") {
  auto token = std::make_shared<int>(1);
  {
    Callback a = [token] {
    };
    CHECK(token.use_count() == 2);
    Callback b = std::move(a);
    CHECK(token.use_count() == 2);
    Callback c;
    c = std::move(b);
    CHECK(token.use_count() == 2);
    c.reset();
    CHECK(token.use_count() == 1);
  }
  CHECK(token.use_count() == 1);
}

}  // namespace
}  // namespace ibsim::sim

#include "sim/base/result.h"

#include <string>

#include <catch2/catch.hpp>

namespace ibsim::sim {
namespace {

Result<int> parse_positive(int v) {
  if (v <= 0) {
    return aws_error("InvalidParameterValue", "must be positive");
  }
  return v;
}

TEST_CASE("Result: carries a value or an AWS-shaped error", "[sim]") {
  Result<int> good = parse_positive(3);
  REQUIRE(good.ok());
  CHECK(*good == 3);

  Result<int> bad = parse_positive(-1);
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().code == "InvalidParameterValue");
  CHECK(bad.error().http_status == 400);
  CHECK(bad.error().fault == Fault::kSender);
}

TEST_CASE("Result: server errors are the receiver's fault", "[sim]") {
  const AwsError e = aws_error("InternalFailure", "boom", 500);
  CHECK(e.fault == Fault::kReceiver);
  Status s = e;
  CHECK_FALSE(s.ok());
  CHECK(ok_status().ok());
}

TEST_CASE("Result: moves its value out", "[sim]") {
  Result<std::string> r = std::string(100, 'x');
  std::string taken = std::move(r).value();
  CHECK(taken.size() == 100);
}

}  // namespace
}  // namespace ibsim::sim

#include "mock_aws/api/ids.h"

#include <catch2/catch.hpp>

#include "mock_aws/api/regions.h"

namespace ibsim::mock_aws::api {
namespace {

TEST_CASE("AccountId: exactly twelve digits", "[api]") {
  CHECK(parse_account_id("111122223333").ok());
  CHECK(parse_account_id("000000000000").ok());
  for (const char* bad : {"",
                          "11112222333",
                          "1111222233334",
                          "11112222333a",
                          " 11122223333",
                          "111-22223333",
                          "１11122223333"}) {
    CAPTURE(bad);
    const auto r = parse_account_id(bad, "targetAccountIds[0]");
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == "InvalidParameterValue");
    CHECK(r.error().message.find("targetAccountIds[0]") != std::string::npos);
  }
}

TEST_CASE("Region: only catalogue names parse", "[api]") {
  CHECK(parse_region("us-west-2").ok());
  CHECK(parse_region("ap-southeast-7").ok());
  CHECK_FALSE(parse_region("us-west-9").ok());
  CHECK_FALSE(parse_region("").ok());
  CHECK_FALSE(parse_region("US-WEST-2").ok());
}

TEST_CASE("Region: paravirtual support follows the EC2 guide", "[api]") {
  int pv = 0;
  for (const RegionInfo& r : all_regions()) {
    pv += r.supports_paravirtual ? 1 : 0;
  }
  CHECK(pv == 9);
  CHECK(find_region("us-east-1")->supports_paravirtual);
  CHECK_FALSE(find_region("us-east-2")->supports_paravirtual);
  CHECK_FALSE(find_region("eu-west-2")->supports_paravirtual);
  // The catalogue is sorted, so reports iterate it deterministically.
  const auto regions = all_regions();
  for (std::size_t i = 1; i < regions.size(); ++i) {
    CHECK(regions[i - 1].name < regions[i].name);
  }
}

}  // namespace
}  // namespace ibsim::mock_aws::api

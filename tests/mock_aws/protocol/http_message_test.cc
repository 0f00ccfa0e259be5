#include "mock_aws/protocol/http_message.h"

#include <catch2/catch.hpp>

namespace ibsim::mock_aws::protocol {
namespace {

TEST_CASE("Headers: names compare case-insensitively and keep their spelling", "[protocol]") {
  Headers h;
  h.add("X-Amz-Target", "TrentService.Encrypt");
  h.add("x-amz-date", "20261128T121315Z");
  h.add("X-Multi", "a");
  h.add("x-multi", "b");
  REQUIRE(h.find("x-amz-target") != nullptr);
  CHECK(*h.find("X-AMZ-TARGET") == "TrentService.Encrypt");
  CHECK(h.get("missing").empty());
  CHECK(h.all("X-MULTI") == std::vector<std::string_view>{"a", "b"});
  h.set("x-multi", "c");
  CHECK(h.all("x-multi") == std::vector<std::string_view>{"c"});
  CHECK(h.fields().front().first == "X-Amz-Target");
}

TEST_CASE("HttpRequest: splits path and query", "[protocol]") {
  HttpRequest r{"GET", "/GetImage?imageBuildVersionArn=arn%3Aaws", {}, ""};
  CHECK(r.path() == "/GetImage");
  CHECK(r.query() == "imageBuildVersionArn=arn%3Aaws");
  HttpRequest root{"POST", "/", {}, ""};
  CHECK(root.path() == "/");
  CHECK(root.query().empty());
}

}  // namespace
}  // namespace ibsim::mock_aws::protocol

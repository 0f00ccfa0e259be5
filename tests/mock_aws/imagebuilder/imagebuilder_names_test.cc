// Text rules of Image Builder: ARN names, version filters, placeholders, page tokens, the managed
// catalogue.

#include "mock_aws/imagebuilder/imagebuilder_names.h"

#include <set>

#include <catch2/catch.hpp>

#include "mock_aws/api/regions.h"
#include "mock_aws/imagebuilder/managed_catalogue.h"

namespace ibsim::mock_aws::imagebuilder {
namespace {

const api::Region kWest2 = api::Region::from_known("us-west-2");

TEST_CASE("Names: the ARN name is lower-cased with spaces as hyphens", "[imagebuilder]") {
  CHECK(arn_resource_name("MyBasicRecipe") == "mybasicrecipe");
  CHECK(arn_resource_name("My Example Distribution") == "my-example-distribution");
  CHECK(arn_resource_name("under_score-Dash") == "under_score-dash");
  CHECK(imagebuilder_arn(kWest2, "111122223333", "distribution-configuration", "x")
        == "arn:aws:imagebuilder:us-west-2:111122223333:distribution-configuration/x");
}

TEST_CASE("Names: ARNs parse into region account type name version and build", "[imagebuilder]") {
  auto a = parse_imagebuilder_arn(
      "arn:aws:imagebuilder:us-west-2:123456789012:image/mybasicrecipe/2019.12.3/7");
  REQUIRE(a);
  CHECK(a->region == "us-west-2");
  CHECK(a->account == "123456789012");
  CHECK(a->type == "image");
  CHECK(a->name == "mybasicrecipe");
  CHECK(a->version == "2019.12.3");
  CHECK(a->build == "7");
  auto managed =
      parse_imagebuilder_arn("arn:aws:imagebuilder:eu-west-1:aws:image/amazon-linux-2-x86/x.x.x");
  REQUIRE(managed);
  CHECK(managed->account == "aws");
  CHECK(managed->build.empty());
  CHECK_FALSE(parse_imagebuilder_arn("arn:aws:imagebuilder:us-west-2:123:image/x/1.0.0/1"));
  CHECK_FALSE(parse_imagebuilder_arn("arn:aws:imagebuilder:moon-1:aws:image/x/1.0.0"));
  CHECK_FALSE(parse_imagebuilder_arn("arn:aws:imagebuilder:us-west-2:aws:image/Upper/1.0.0"));
  CHECK_FALSE(parse_imagebuilder_arn("arn:aws:imagebuilder:us-west-2:aws:image/x/x.x.x/1"));
  CHECK_FALSE(parse_imagebuilder_arn("arn:aws:imagebuilder:us-west-2:aws:image/x/1.x.3"));
  CHECK_FALSE(parse_imagebuilder_arn("arn:aws:ec2:us-west-2:aws:image/x"));
}

TEST_CASE("Names: version filters put x only to the right", "[imagebuilder]") {
  auto f = parse_version_filter("2025.x.x");
  REQUIRE(f);
  CHECK(f->matches({2025, 6, 1}));
  CHECK_FALSE(f->matches({2024, 12, 1}));
  CHECK(parse_version_filter("x.x.x"));
  CHECK_FALSE(parse_version_filter("1.x.3"));
  CHECK_FALSE(parse_version_filter("x.1.x"));
  CHECK_FALSE(parse_version_filter("1.0"));
  CHECK(parse_semantic_version("1073741823.0.0"));
  CHECK_FALSE(parse_semantic_version("1073741824.0.0"));
  CHECK_FALSE(parse_semantic_version("1.0.x"));
  CHECK(SemanticVersion{2025, 11, 2} > SemanticVersion{2025, 6, 1});
}

TEST_CASE("Names: the build-date placeholder is found in either spelling", "[imagebuilder]") {
  CHECK(contains_build_date_placeholder("Name {{ imagebuilder:buildDate }}"));
  CHECK(contains_build_date_placeholder("Name {{imagebuilder:buildDate}}"));
  CHECK(contains_build_date_placeholder("{{imagebuilder:buildDate }}x"));
  CHECK_FALSE(contains_build_date_placeholder("Name {{ imagebuilder:buildVersion }}"));
  CHECK_FALSE(contains_build_date_placeholder("Name imagebuilder:buildDate"));
  CHECK_FALSE(contains_build_date_placeholder("Name {{ imagebuilder:builddate }}"));
}

TEST_CASE("Names: placeholders expand to an EC2-valid date and the build number",
          "[imagebuilder]") {
  const int64_t t = 1'767'225'600'123;  // 2026-01-01T00:00:00.123Z
  CHECK(build_date_text(t) == "2026-01-01T00-00-00.123Z");
  CHECK(expand_ami_name("Name {{ imagebuilder:buildDate }}", t, 3)
        == "Name 2026-01-01T00-00-00.123Z");
  CHECK(expand_ami_name("My {{imagebuilder:buildVersion}} image {{imagebuilder:buildDate}}", t, 3)
        == "My 3 image 2026-01-01T00-00-00.123Z");
  CHECK(expand_ami_name("{{imagebuilder:buildDate}}-{{ imagebuilder:buildDate }}", t, 1)
        == "2026-01-01T00-00-00.123Z-2026-01-01T00-00-00.123Z");
  CHECK(expand_ami_name("no placeholder {{ other }}", t, 1) == "no placeholder {{ other }}");
}

TEST_CASE("Names: page tokens round-trip and are bound to their operation", "[imagebuilder]") {
  const std::string token = encode_page_token("ListImages", "arn:aws:imagebuilder:x");
  CHECK(token == encode_page_token("ListImages", "arn:aws:imagebuilder:x"));
  CHECK(decode_page_token("ListImages", token) == "arn:aws:imagebuilder:x");
  CHECK_FALSE(decode_page_token("ListComponents", token));
  CHECK_FALSE(decode_page_token("ListImages", "garbage"));
  CHECK_FALSE(decode_page_token("ListImages", token + "0"));
}

TEST_CASE("Catalogue: every region has the three managed images with fixed public AMIs",
          "[imagebuilder]") {
  const std::vector<ManagedImageAmi> west = managed_image_amis(kWest2);
  const std::vector<ManagedImageAmi> east =
      managed_image_amis(api::Region::from_known("us-east-1"));
  REQUIRE(west.size() == managed_images().size());
  std::set<std::string> names;
  std::set<std::string> ids;
  for (std::size_t i = 0; i < west.size(); ++i) {
    names.insert(std::string(west[i].info->name));
    ids.insert(west[i].ami_id);
    ids.insert(east[i].ami_id);
    CHECK(west[i].ami_id.size() == 21);
    CHECK(west[i].ami_id.rfind("ami-0", 0) == 0);
    CHECK(west[i].ami_id
          == managed_image_ami_id(west[i].info->name, west[i].info->version, kWest2));
  }
  CHECK(ids.size() == 2 * west.size());  // Distinct per version and per region.
  CHECK(names
        == std::set<std::string>{
            "amazon-linux-2023-x86", "amazon-linux-2-x86", "ubuntu-server-22-lts-x86"});
  CHECK(west[0].image_build_version_arn
        == "arn:aws:imagebuilder:us-west-2:aws:image/amazon-linux-2023-x86/2025.1.1/1");
}

TEST_CASE("Catalogue: x resolves to the latest managed version", "[imagebuilder]") {
  const ManagedImageInfo* latest =
      find_managed_image("amazon-linux-2023-x86", *parse_version_filter("x.x.x"));
  REQUIRE(latest != nullptr);
  CHECK(latest->version == "2025.11.2");
  const ManagedImageInfo* june =
      find_managed_image("amazon-linux-2023-x86", *parse_version_filter("2025.6.x"));
  REQUIRE(june != nullptr);
  CHECK(june->version == "2025.6.1");
  CHECK(find_managed_image("amazon-linux-2023-x86", *parse_version_filter("2030.x.x")) == nullptr);
  const ManagedComponentInfo* update =
      find_managed_component("update-linux", *parse_version_filter("x.x.x"));
  REQUIRE(update != nullptr);
  CHECK(update->version == "1.0.2");
  CHECK(find_managed_component("update-windows", *parse_version_filter("1.0.x")) != nullptr);
}

}  // namespace
}  // namespace ibsim::mock_aws::imagebuilder

#include "src/check/check_input.h"

#include <string>

#include <catch2/catch.hpp>

namespace ibsim::check {
namespace {

constexpr std::string_view kValid = R"({
  "name": "golden",
  "description": "The golden image",
  "distributions": [
    {"region": "us-east-1",
     "amiDistributionConfiguration": {"name": "golden-{{ imagebuilder:buildDate }}",
                                      "targetAccountIds": ["444455556666"],
                                      "kmsKeyId": "alias/east"},
     "launchTemplateConfigurations": [{"launchTemplateId": "lt-0b0000000000000b1",
                                       "accountId": "444455556666", "setDefaultVersion": true}]}
  ],
  "tags": {"team": "platform"}
})";

std::string error_of(std::string_view text) {
  auto r = decode_distribution_configuration(text, "dist.json");
  REQUIRE_FALSE(r.ok());
  return r.error().message;
}

TEST_CASE("CheckInput: a configuration as the AWS CLI takes it decodes", "[check]") {
  auto r = decode_distribution_configuration(kValid, "dist.json");
  INFO((r.ok() ? std::string() : r.error().message));
  REQUIRE(r.ok());
  CHECK(r->findings.empty());
  CHECK(r->input.name == "golden");
  CHECK(r->input.client_token == kCheckClientToken);
  REQUIRE(r->input.distributions.size() == 1);
  const auto& d = r->input.distributions.front();
  CHECK(d.region == "us-east-1");
  REQUIRE(d.ami_distribution_configuration.has_value());
  CHECK(d.ami_distribution_configuration->target_account_ids
        == std::vector<std::string>{"444455556666"});
  CHECK(d.ami_distribution_configuration->kms_key_id == "alias/east");
  REQUIRE(d.launch_template_configurations.size() == 1);
  CHECK(d.launch_template_configurations.front().set_default_version == true);
  CHECK(r->input.tags.at("team") == "platform");
}

TEST_CASE("CheckInput: malformed JSON names the file", "[check]") {
  const std::string m = error_of(R"({"name": "golden", "distributions": [)");
  CHECK(m.find("dist.json") == 0);
  CHECK(m.find("not valid JSON") != std::string::npos);
}

TEST_CASE("CheckInput: an unknown key names its JSON path and the accepted keys", "[check]") {
  const std::string m = error_of(
      R"({"name": "golden", "distributions": [{"region": "us-east-1",
          "amiDistributionConfiguration": {"nmae": "x"}}]})");
  CHECK(m.find("dist.json: $.distributions[0].amiDistributionConfiguration.nmae: unknown key")
        == 0);
  CHECK(m.find("name, ") != std::string::npos);
}

TEST_CASE("CheckInput: a value of the wrong type names its path", "[check]") {
  const std::string m = error_of(
      R"({"name": "golden", "distributions": [{"region": "us-east-1",
          "amiDistributionConfiguration": {"targetAccountIds": "444455556666"}}]})");
  CHECK(m
        == "dist.json: $.distributions[0].amiDistributionConfiguration.targetAccountIds: "
           "expected an array, got the string \"444455556666\"");
  CHECK(error_of(R"({"name": 7, "distributions": []})")
        == "dist.json: $.name: expected a string, got the number 7");
  CHECK(error_of(R"([])") == "dist.json: $: expected an object, got an array");
}

TEST_CASE("CheckInput: missing required members are input errors", "[check]") {
  CHECK(error_of(R"({"distributions": []})") == "dist.json: $: missing required key \"name\"");
  CHECK(error_of(R"({"name": "golden", "distributions": [{"amiDistributionConfiguration": {}}]})")
        == "dist.json: $.distributions[0]: missing required key \"region\"");
}

TEST_CASE("CheckInput: what the service refuses is a finding not an input error", "[check]") {
  auto r = decode_distribution_configuration(
      R"({"name": "bad name!", "distributions": [{"region": "us-east-1",
          "amiDistributionConfiguration": {"name": "golden-{{ imagebuilder:buildDate }}"}}]})",
      "dist.json");
  REQUIRE(r.ok());
  REQUIRE(r->findings.size() == 1);
  CHECK(r->findings.front().code == "InvalidParameterValueException");
  CHECK(r->findings.front().message.find("'name'") != std::string::npos);
}

TEST_CASE("CheckInput: an image recipe decodes with its block devices", "[check]") {
  auto r = decode_image_recipe(
      R"({"name": "app", "semanticVersion": "1.0.0", "parentImage": "ami-0a0000000000000a1",
          "components": [{"componentArn":
            "arn:aws:imagebuilder:us-east-1:aws:component/update-linux/x.x.x"}],
          "blockDeviceMappings": [{"deviceName": "/dev/xvda",
            "ebs": {"encrypted": true, "kmsKeyId": "alias/east", "volumeSize": 8}}]})",
      "recipe.json");
  INFO((r.ok() ? std::string() : r.error().message));
  REQUIRE(r.ok());
  CHECK(r->findings.empty());
  REQUIRE(r->input.block_device_mappings.size() == 1);
  CHECK(r->input.block_device_mappings.front().ebs->kms_key_id == "alias/east");
  auto bad = decode_image_recipe(R"({"name": "app"})", "recipe.json");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().message.find("recipe.json: $: missing required key") == 0);
}

}  // namespace
}  // namespace ibsim::check

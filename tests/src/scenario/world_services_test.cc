#include "src/scenario/world_services.h"

#include <string>

#include <catch2/catch.hpp>

#include "mock_aws/services/world.h"
#include "sim/context.h"

namespace ibsim::scenario {
namespace {

namespace api = mock_aws::api;

const api::AccountId kSource = api::AccountId::from_valid("111122223333");
const api::AccountId kTarget = api::AccountId::from_valid("444455556666");
const api::Region kWest = api::Region::from_known("us-west-2");

// A source account with a distribution key and an encrypted golden image shared with the target,
// and a target account with a launch template, encryption by default and an SSM parameter.
constexpr std::string_view kWorld = R"({
  "regions": ["us-west-2", "us-east-1"],
  "quotas": {"concurrentAmiCopiesPerAccountRegion": 20, "ec2RequestRateLimits": true},
  "accounts": {
    "111122223333": {
      "kms": {
        "us-west-2": {
          "keys": {
            "dist-key": {
              "keyId": "1234abcd-12ab-34cd-56ef-1234567890ab",
              "description": "distribution key",
              "policy": {"Version": "2012-10-17", "Statement": [
                {"Sid": "Enable IAM policies", "Effect": "Allow",
                 "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
                 "Action": "kms:*", "Resource": "*"}]},
              "tags": {"team": "platform"}
            }
          }
        }
      },
      "ec2": {
        "us-west-2": {
          "images": {
            "golden": {
              "imageId": "ami-0123456789abcdef0",
              "blockDevices": [{"volumeSizeGiB": 16, "kmsKey": "alias/dist-key",
                                "sharedWith": ["444455556666"]}],
              "launchPermission": {"userIds": ["444455556666"]},
              "tags": {"CreatedBy": "EC2 Image Builder"}
            }
          }
        }
      }
    },
    "444455556666": {
      "ec2": {
        "us-west-2": {
          "ebsEncryptionByDefault": true,
          "copyConcurrencyLimit": 7,
          "launchTemplates": {
            "web": {"launchTemplateId": "lt-0123456789abcdef0",
                    "tags": {"CreatedBy": "EC2 Image Builder"},
                    "versions": [{"imageId": "ami-0123456789abcdef0", "instanceType": "t3.micro"}]}
          }
        }
      },
      "ssm": {
        "us-west-2": {"parameters": {"/golden/ami": {"value": "ami-0123456789abcdef0",
                                                     "dataType": "aws:ec2:image"}}}
      }
    }
  }
})";

TEST_CASE("WorldServices: loads keys images launch templates and parameters", "[scenario]") {
  sim::Context ctx({.seed = 5});
  mock_aws::services::World world(ctx);
  const auto loaded = load_world_text(kWorld, "world.json", world);
  INFO((loaded.ok() ? std::string() : loaded.error().message));
  REQUIRE(loaded.ok());
  const std::string key_arn =
      "arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
  REQUIRE(world.kms().find_key(key_arn).has_value());
  CHECK(world.kms().find_alias_target(kSource, kWest, "alias/dist-key") == key_arn);

  api::CallContext target;
  target.principal = api::Principal::root(kTarget);
  target.region = kWest;
  api::ec2::DescribeImagesInput images;
  images.image_ids = {"ami-0123456789abcdef0"};
  const auto described = world.ec2().describe_images(target, images);
  INFO((described.ok() ? std::string() : described.error().message));
  REQUIRE(described.ok());
  REQUIRE(described->images.size() == 1);
  const auto& image = described->images.front();
  REQUIRE(image.block_device_mappings.size() == 1);
  REQUIRE(image.block_device_mappings.front().ebs.has_value());
  CHECK(image.block_device_mappings.front().ebs->encrypted == true);
  CHECK(image.block_device_mappings.front().ebs->kms_key_id == key_arn);

  const auto parameter = world.ssm().find_parameter(kTarget, kWest, "/golden/ami");
  REQUIRE(parameter.has_value());
  CHECK(parameter->value == "ami-0123456789abcdef0");

  api::ec2::GetEbsEncryptionByDefaultInput by_default;
  const auto ebs = world.ec2().get_ebs_encryption_by_default(target, by_default);
  REQUIRE(ebs.ok());
  CHECK(ebs->ebs_encryption_by_default == true);

  // The top-level quota is the default; an account's own copyConcurrencyLimit wins over it.
  CHECK(world.ec2().copy_limit(kTarget, kWest) == 7);
  CHECK(world.ec2().copy_limit(kTarget, api::Region::from_known("us-east-1")) == 20);
  CHECK(world.ec2().copy_limit(kSource, kWest) == 20);
  CHECK(world.ec2().options().request_rate.enabled);
}

TEST_CASE("WorldServices: malformed service sections name the path", "[scenario]") {
  struct Case {
    const char* world;
    const char* path;
  };

  const Case cases[] = {
      {R"({"accounts": {"111122223333": {"kms": []}}})", "$.accounts.111122223333.kms"},
      {R"({"accounts": {"111122223333": {"kms": {"us-west-9": {}}}}})",
       "$.accounts.111122223333.kms.us-west-9"},
      {R"({"regions": ["us-east-1"], "accounts": {"111122223333": {"kms": {"us-west-2": {}}}}})",
       "$.accounts.111122223333.kms.us-west-2"},
      {R"({"accounts": {"111122223333": {"kms": {"us-west-2": {"keyz": {}}}}}})",
       "$.accounts.111122223333.kms.us-west-2.keyz"},
      {R"({"accounts": {"111122223333": {"kms": {"us-west-2": {"keys": {"k": {"policy": {"Statement": []}}}}}}}})",
       "$.accounts.111122223333.kms.us-west-2.keys.k.policy"},
      {R"({"accounts": {"111122223333": {"kms": {"us-west-2": {"keys": {"k": {"enabled": "yes"}}}}}}})",
       "$.accounts.111122223333.kms.us-west-2.keys.k.enabled"},
      {R"({"accounts": {"111122223333": {"ec2": {"us-west-2": {"images": {"i": {"blockDevices": [{"kmsKey": "alias/missing"}]}}}}}}})",
       "$.accounts.111122223333.ec2.us-west-2.images.i.blockDevices[0].kmsKey"},
      {R"({"accounts": {"111122223333": {"ec2": {"us-west-2": {"images": {"i": {"blockDevices": [{"sharedWith": ["123"]}]}}}}}}})",
       "$.accounts.111122223333.ec2.us-west-2.images.i.blockDevices[0].sharedWith[0]"},
      {R"({"accounts": {"111122223333": {"ec2": {"us-west-2": {"images": {"i": {"blockDevices": []}}}}}}})",
       "$.accounts.111122223333.ec2.us-west-2.images.i.blockDevices"},
      {R"({"accounts": {"111122223333": {"ec2": {"us-west-2": {"images": {"i": {"blockDevices": [{"volumeSizeGiB": 0}]}}}}}}})",
       "$.accounts.111122223333.ec2.us-west-2.images.i.blockDevices[0].volumeSizeGiB"},
      {R"({"accounts": {"111122223333": {"ec2": {"us-west-2": {"launchTemplates": {"t": {"defaultVersion": 3}}}}}}})",
       "$.accounts.111122223333.ec2.us-west-2.launchTemplates.t.defaultVersion"},
      {R"({"accounts": {"111122223333": {"ec2": {"us-west-2": {"copyConcurrencyLimit": 0}}}}})",
       "$.accounts.111122223333.ec2.us-west-2.copyConcurrencyLimit"},
      {R"({"accounts": {"111122223333": {"ec2": {"us-west-2": {"ebsDefaultKmsKey": "arn:aws:kms:us-west-2:111122223333:key/nope"}}}}})",
       "$.accounts.111122223333.ec2.us-west-2.ebsDefaultKmsKey"},
      {R"({"accounts": {"111122223333": {"ssm": {"us-west-2": {"parameters": {"/p": {}}}}}}})",
       "$.accounts.111122223333.ssm.us-west-2.parameters./p.value"},
      {R"({"quotas": {"concurrentAmiCopiesPerAccountRegion": -1}})",
       "$.quotas.concurrentAmiCopiesPerAccountRegion"},
      {R"({"quotas": {"copies": 5}})", "$.quotas.copies"},
      {R"({"quotas": {"ec2RequestRateLimits": "yes"}})", "$.quotas.ec2RequestRateLimits"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.world);
    sim::Context ctx;
    mock_aws::services::World world(ctx);
    const auto loaded = load_world_text(c.world, "bad.json", world);
    REQUIRE_FALSE(loaded.ok());
    CAPTURE(loaded.error().message);
    CHECK(loaded.error().message.find(std::string("bad.json: ") + c.path) == 0);
  }
}

}  // namespace
}  // namespace ibsim::scenario

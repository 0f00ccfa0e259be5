#include "mock_aws/services/world.h"

#include <algorithm>

#include <catch2/catch.hpp>

#include "mock_aws/api/regions.h"
#include "mock_aws/imagebuilder/managed_catalogue.h"
#include "tests/mock_aws/services/world_fixture.h"

namespace ibsim::mock_aws::services {
namespace {

using testing::kAllowAll;
using testing::WorldFixture;

TEST_CASE("World: wires IAM and STS and the authorizer together", "[services]") {
  WorldFixture f;
  // IAM's own operations go through the world's authorizer.
  const api::CallContext admin = f.user(f.a, "admin", kAllowAll);
  const uint64_t before = f.world.authorizer().stats().authorizations;
  REQUIRE(f.world.iam().list_roles(admin, {}).ok());
  CHECK(f.world.authorizer().stats().authorizations == before + 1);
  // A session issued by STS is what the authorizer caps with its session policy.
  const std::string role = f.role(f.a, "R", "111122223333", kAllowAll);
  api::sts::AssumeRoleInput in{.role_arn = role, .role_session_name = "s1"};
  in.policy = testing::allow("ec2:DescribeImages");
  auto out = f.world.sts().assume_role(admin, in);
  REQUIRE(out.ok());
  CHECK(f.world.sessions().size() == 1);
  auto resolved = f.world.sts().resolve_access_key(out->credentials.access_key_id);
  REQUIRE(resolved.ok());
  const api::CallContext session = f.call(resolved->principal, out->credentials.access_key_id);
  CHECK_FALSE(f.world.iam().list_roles(session, {}).ok());
  // Encoded authorization messages round-trip through STS.
  const std::string blob = f.world.authorization_messages().encode(R"({"a":1})");
  CHECK(f.world.sts().decode_authorization_message(admin, {blob})->decoded_message == R"({"a":1})");
}

TEST_CASE("World: accounts are added by valid id only", "[services]") {
  sim::Context ctx({.seed = 3});
  World world(ctx);
  CHECK(world.add_account("111122223333", "one").ok());
  CHECK_FALSE(world.add_account("111122223333").ok());
  CHECK_FALSE(world.add_account("1111-2222-3333").ok());
  CHECK_FALSE(world.add_account("").ok());
  CHECK(world.iam().account_ids().size() == 1);
  CHECK(world.iam().find_account(testing::account("111122223333"))->name == "one");
}

TEST_CASE("World: regions default to the catalogue and can be narrowed", "[services]") {
  sim::Context ctx;
  World world(ctx);
  CHECK(world.regions().size() == api::all_regions().size());
  const api::Region east = api::Region::from_known("us-east-1");
  const api::Region west = api::Region::from_known("us-west-2");
  const api::Region only[] = {east};
  world.set_regions(only);
  CHECK(world.has_region(east));
  CHECK_FALSE(world.has_region(west));
  CHECK(&world.context() == &ctx);
}

TEST_CASE("World: two worlds with one seed issue the same ids", "[services]") {
  const auto run = [](uint64_t seed) {
    WorldFixture f(seed);
    const api::CallContext admin = f.user(f.a, "admin", kAllowAll);
    const std::string role = f.role(f.b, "X", "111122223333");
    auto out = f.world.sts().assume_role(admin, {.role_arn = role, .role_session_name = "s1"});
    return out->credentials.access_key_id + f.world.iam().find_role(f.b, "X")->role_id
           + std::to_string(f.ctx.trace().hash());
  };
  CHECK(run(5) == run(5));
  CHECK(run(5) != run(6));
}

TEST_CASE("World: every region offers the managed parent images as public amazon AMIs",
          "[services]") {
  WorldFixture f;
  const api::CallContext admin = f.user(f.a, "admin", kAllowAll);
  api::ec2::DescribeImagesInput in;
  in.owners = {"amazon"};
  for (const char* region : {"us-east-1", "eu-west-1", "ap-southeast-7"}) {
    CAPTURE(region);
    api::CallContext call = admin;
    call.region = api::Region::from_known(region);
    const auto out = f.world.ec2().describe_images(call, in);
    REQUIRE(out.ok());
    const auto expected = imagebuilder::managed_image_amis(call.region);
    REQUIRE(out->images.size() == expected.size());
    for (const auto& ami : expected) {
      CHECK(std::any_of(out->images.begin(), out->images.end(), [&](const auto& image) {
        return image.image_id == ami.ami_id && image.name == ami.ami_name;
      }));
    }
  }
}

TEST_CASE("World: without an engine a build fails with a clear reason", "[services]") {
  sim::Context ctx;
  World world(ctx);
  api::imagebuilder::BuildResult seen;
  bool called = false;
  api::imagebuilder::BuildPlan plan;
  plan.image_arn = "arn:aws:imagebuilder:us-east-1:111122223333:image/x/1.0.0/1";
  WorkflowProxy& proxy = world.workflow_proxy();
  proxy.build(plan, [&](api::imagebuilder::BuildResult r) {
    seen = std::move(r);
    called = true;
  });
  REQUIRE(called);
  CHECK_FALSE(seen.ok);
  CHECK(seen.reason.find("no distribution engine") != std::string::npos);
}

}  // namespace
}  // namespace ibsim::mock_aws::services

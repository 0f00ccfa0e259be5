#include "tests/src/engine/engine_world.h"

#include <limits>
#include <memory>

#include <catch2/catch.hpp>

#include "mock_aws/api/arn.h"
#include "mock_aws/iam/aws_managed_policies.h"
#include "src/client/transports/wire_transport.h"

namespace ibsim::engine::testing {
namespace {

constexpr std::string_view kKmsInlinePolicy = R"({
  "Version": "2012-10-17",
  "Statement": [{
    "Effect": "Allow",
    "Action": ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*",
               "kms:DescribeKey", "kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"],
    "Resource": "*"
  }]
})";

// AWS's launch-template statements for the cross-account role (aws-facts §2.1).
constexpr std::string_view kLaunchTemplatePolicy = R"({
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": ["ec2:CreateLaunchTemplateVersion", "ec2:ModifyLaunchTemplate"],
      "Resource": "*",
      "Condition": {"StringEquals": {"aws:ResourceTag/CreatedBy": "EC2 Image Builder"}}
    },
    {"Effect": "Allow", "Action": "ec2:DescribeLaunchTemplates", "Resource": "*"},
    {
      "Effect": "Allow",
      "Action": "ec2:CreateTags",
      "Resource": "arn:aws:ec2:*:*:launch-template/*",
      "Condition": {"StringEquals": {"aws:RequestTag/CreatedBy": "EC2 Image Builder"}}
    }
  ]
})";

constexpr std::string_view kSsmPolicy = R"({
  "Version": "2012-10-17",
  "Statement": [{"Effect": "Allow", "Action": "ssm:PutParameter", "Resource": "*"}]
})";

template <typename T>
T must(sim::Result<T> r) {
  INFO((r.ok() ? std::string() : r.error().code + ": " + r.error().message));
  REQUIRE(r.ok());
  return std::move(r).value();
}

void must(const sim::Status& s) {
  INFO((s.ok() ? std::string() : s.error().code + ": " + s.error().message));
  REQUIRE(s.ok());
}

std::unique_ptr<mock_aws::server::Router> make_router(mock_aws::services::World& world) {
  sim::Context& ctx = world.context();
  return std::make_unique<mock_aws::server::Router>(
      world,
      mock_aws::server::RouterOptions{
          .auth = mock_aws::server::AuthMode::kLenient,
          .wall_clock_unix_ms = [&ctx] { return ctx.unix_ms(); },
          .explanation_header_bytes_max = std::numeric_limits<std::size_t>::max()});
}

std::unique_ptr<client::ClientFactory> make_wire_clients(mock_aws::server::Router& router,
                                                         scenario::DirectClientFactory& direct,
                                                         sim::Context& ctx) {
  using mock_aws::protocol::HttpRequest;
  return client::make_wire_client_factory(
      {.handle = [&router](const HttpRequest& r) { return router.handle(r); },
       .handle_as_service =
           [&router](const HttpRequest& r,
                     mock_aws::protocol::ServiceId service,
                     const api::Region& region,
                     std::string_view principal) {
             return router.handle_as_service(r, service, region, principal);
           }},
      {.clock_unix_ms = [&ctx] { return ctx.unix_ms(); },
       .clients = {.tokens = ctx.rng().fork("client.wire.tokens"),
                   // ibsim's own extension has no wire operation: answered in-process.
                   .image_failure_cause = [&direct](const client::Identity& identity,
                                                    const api::Region& region,
                                                    std::string_view image_id) {
                     return direct.ec2(identity, region)->image_failure_cause(image_id);
                   }}});
}

}  // namespace

EngineWorld::EngineWorld(Options options)
    : ctx({.seed = options.seed, .trace = {.record = true}}),
      world(ctx, {.ec2 = options.ec2}),
      kms(world.kms()),
      ec2(world.ec2()),
      ssm(world.ssm()),
      direct(world),
      router(options.transport == Transport::kWire ? make_router(world) : nullptr),
      wire(options.transport == Transport::kWire ? make_wire_clients(*router, direct, ctx)
                                                 : nullptr),
      clients(wire ? *wire : static_cast<client::ClientFactory&>(direct)),
      engine(ctx, clients, options.engine) {
  world.set_workflow(&engine);
}

void EngineWorld::account(const api::AccountId& account) {
  must(world.add_account(account));
}

std::string EngineWorld::key(const api::AccountId& owner,
                             const api::Region& region,
                             const std::vector<api::AccountId>& users) {
  std::string principals;
  for (const api::AccountId& u : users) {
    principals += (principals.empty() ? "\"" : ", \"") + api::root_arn(u) + "\"";
  }
  std::string policy = R"({"Version": "2012-10-17", "Statement": [
    {"Sid": "Enable IAM User Permissions", "Effect": "Allow",
     "Principal": {"AWS": ")"
                       + api::root_arn(owner) + R"("}, "Action": "kms:*", "Resource": "*"})";
  if (!users.empty()) {
    policy += R"(,
    {"Sid": "Allow use of the key by the target accounts", "Effect": "Allow",
     "Principal": {"AWS": [)"
              + principals + R"(]},
     "Action": ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*",
                "kms:DescribeKey", "kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"],
     "Resource": "*"})";
  }
  policy += "]}";
  const api::kms::KeyMetadata meta = must(kms.seed_key(
      {.account = owner, .region = region, .description = "image key", .policy = policy}));
  return meta.arn;
}

void EngineWorld::cross_account_role(const api::AccountId& target,
                                     const api::AccountId& source,
                                     const RoleSetup& setup) {
  if (!setup.create) {
    return;
  }
  const std::string trusted = setup.trust_source
                                  ? api::root_arn(source)
                                  : api::root_arn(api::AccountId::from_valid("999999999999"));
  const std::string trust = R"({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
      "Principal": {"AWS": ")"
                            + trusted + R"("}, "Action": "sts:AssumeRole"}]})";
  must(world.iam().seed_role(
      target,
      {.role_name = std::string(kCrossAccountRoleName), .assume_role_policy_document = trust}));
  if (setup.managed_policy) {
    must(world.iam().seed_attach_role_policy(
        target,
        {.role_name = std::string(kCrossAccountRoleName),
         .policy_arn = std::string(mock_aws::iam::kCrossAccountDistributionPolicyArn)}));
  }
  if (setup.kms_inline_policy) {
    must(world.iam().seed_put_role_policy(target,
                                          {.role_name = std::string(kCrossAccountRoleName),
                                           .policy_name = "ImageBuilderKms",
                                           .policy_document = std::string(kKmsInlinePolicy)}));
  }
  if (setup.ssm_policy) {
    must(world.iam().seed_put_role_policy(target,
                                          {.role_name = std::string(kCrossAccountRoleName),
                                           .policy_name = "ImageBuilderParameters",
                                           .policy_document = std::string(kSsmPolicy)}));
  }
  if (setup.launch_template_policy) {
    must(world.iam().seed_put_role_policy(target,
                                          {.role_name = std::string(kCrossAccountRoleName),
                                           .policy_name = "ImageBuilderLaunchTemplates",
                                           .policy_document = std::string(kLaunchTemplatePolicy)}));
  }
}

std::string EngineWorld::source_image(const api::AccountId& owner,
                                      const api::Region& region,
                                      const std::string& kms_key_arn,
                                      const std::string& virtualization,
                                      const std::string& name) {
  mock_aws::ec2::Ec2Model::SeedImage seed;
  seed.owner = owner;
  seed.region = region;
  seed.name = name;
  seed.description = "built by Image Builder";
  seed.virtualization_type = virtualization;
  seed.block_devices[0].kms_key_arn = kms_key_arn;
  seed.tags = {{"CreatedBy", "EC2 Image Builder"}};
  return must(ec2.seed_image(seed));
}

std::string EngineWorld::launch_template(const api::AccountId& owner,
                                         const api::Region& region,
                                         bool tagged_created_by,
                                         const std::string& name) {
  mock_aws::ec2::Ec2Model::SeedLaunchTemplate seed;
  seed.owner = owner;
  seed.region = region;
  seed.name = name;
  seed.versions = {{}};
  seed.versions[0].instance_type = "t3.micro";
  if (tagged_created_by) {
    seed.tags = {{"CreatedBy", "EC2 Image Builder"}};
  }
  return must(ec2.seed_launch_template(seed));
}

ib::DistributionPlan EngineWorld::plan(const api::AccountId& owner,
                                       const std::string& source_ami,
                                       const std::vector<api::Region>& regions,
                                       const std::vector<api::AccountId>& targets) const {
  ib::DistributionPlan p;
  p.image_arn =
      "arn:aws:imagebuilder:" + (regions.empty() ? std::string("us-east-1") : regions.front().str())
      + ":" + owner.str() + ":image/app/1.0.0/1";
  p.distribution_configuration_arn =
      "arn:aws:imagebuilder:us-east-1:" + owner.str() + ":distribution-configuration/app";
  p.owner = owner;
  p.source_region = regions.front();
  p.source_ami_id = source_ami;
  for (const api::Region& r : regions) {
    ib::RegionPlan rp;
    rp.region = r;
    rp.ami = ib::AmiDistributionPlan{};
    rp.ami->name = "app-2026-01-01T00-00-00Z";
    rp.ami->description = "distributed";
    rp.ami->target_account_ids = targets;
    p.regions.push_back(std::move(rp));
  }
  return p;
}

ib::DistributionResult EngineWorld::distribute(const ib::DistributionPlan& plan) {
  std::optional<ib::DistributionResult> result;
  int calls = 0;
  engine.distribute(plan, [&](ib::DistributionResult r) {
    ++calls;
    result = std::move(r);
  });
  ctx.scheduler().run();
  REQUIRE(calls == 1);
  REQUIRE(engine.jobs_active() == 0);
  if (router != nullptr) {
    // Every call went through the codecs and the router (the wire transport).
    CHECK(router->stats().served >= engine.stats().calls);
  }
  return *result;
}

client::Identity EngineWorld::root(const api::AccountId& account) {
  return client::Identity::from_credentials(
      {.access_key_id = account.str(), .secret_access_key = "unused"});
}

std::string EngineWorld::snapshot_key(const api::Region& region,
                                      const std::string& image_id) const {
  const mock_aws::ec2::ImageRecord* img = ec2.find_image(region, image_id);
  REQUIRE(img != nullptr);
  REQUIRE_FALSE(img->block_devices.empty());
  const mock_aws::ec2::SnapshotRecord* snap =
      ec2.find_snapshot(region, img->block_devices[0].snapshot_id.view());
  REQUIRE(snap != nullptr);
  return snap->encrypted ? snap->kms_key_arn() : std::string();
}

}  // namespace ibsim::engine::testing

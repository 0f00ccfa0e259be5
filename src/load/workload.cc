#include "src/load/workload.h"

#include <algorithm>
#include <map>
#include <utility>

#include "mock_aws/api/arn.h"
#include "mock_aws/iam/aws_managed_policies.h"
#include "sim/rng.h"

namespace ibsim::load {
namespace {

namespace ib = mock_aws::api::imagebuilder;

constexpr std::string_view kRoleName = "EC2ImageBuilderDistributionCrossAccountRole";
constexpr std::string_view kCreatedByKey = "CreatedBy";
constexpr std::string_view kCreatedByValue = "EC2 Image Builder";

// The inline policy AWS's cross-account page asks for on the role (aws-facts §2.1).
constexpr std::string_view kKmsInlinePolicy = R"({"Version": "2012-10-17", "Statement": [{
  "Effect": "Allow",
  "Action": ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*",
             "kms:DescribeKey", "kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"],
  "Resource": "*"}]})";

sim::AwsError setup_error(std::string what, const sim::AwsError& e) {
  return sim::aws_error("InvalidInput",
                        "building the load world: " + what + ": " + e.code + ": " + e.message);
}

// The owner's key policy: the owner's IAM decides for its principals, and every target account's
// distribution role may use the key for EBS. (A statement naming hundreds of account roots would
// pass KMS's 32 KiB policy limit; organizations write this with aws:PrincipalOrgID, ibsim with
// the role's ARN pattern.)
std::string key_policy(const api::AccountId& owner) {
  return R"({"Version": "2012-10-17", "Statement": [
    {"Sid": "Enable IAM User Permissions", "Effect": "Allow",
     "Principal": {"AWS": ")"
         + api::root_arn(owner) + R"("}, "Action": "kms:*", "Resource": "*"},
    {"Sid": "Allow the distribution roles of the target accounts", "Effect": "Allow",
     "Principal": {"AWS": "*"},
     "Action": ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*",
                "kms:DescribeKey", "kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"],
     "Resource": "*",
     "Condition": {"ArnLike": {"aws:PrincipalArn":
         "arn:aws:iam::*:role/EC2ImageBuilderDistributionCrossAccountRole"}}}]})";
}

std::string trust_policy(const api::AccountId& owner) {
  return R"({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
    "Principal": {"AWS": ")"
         + api::root_arn(owner) + R"("}, "Action": "sts:AssumeRole"}]})";
}

// The start of image `i`: its pipeline's offset, its turn in the pipeline, and a jitter.
sim::Instant start_of(const LoadProfile& p, uint32_t i, sim::Rng& rng) {
  sim::Duration at = p.pipeline_offset * static_cast<int64_t>(i % p.pipelines)
                     + p.image_interval * static_cast<int64_t>(i / p.pipelines);
  if (p.start_jitter > sim::Duration::zero()) {
    at += sim::Duration::nanoseconds(rng.uniform_i64(0, p.start_jitter.ns() - 1));
  }
  return sim::Instant::start() + at;
}

}  // namespace

bool image_encrypted(uint32_t index, sim::Ratio share) {
  // floor((i+1)*s + 1/2) > floor(i*s + 1/2), in integers: s = num/den.
  const uint64_t i = index;
  const uint64_t den2 = 2 * share.den;
  return (2 * (i + 1) * share.num + share.den) / den2 > (2 * i * share.num + share.den) / den2;
}

mock_aws::services::World::Options world_options(const LoadProfile& p,
                                                 const std::vector<api::Region>& regions) {
  mock_aws::services::World::Options o;
  o.ec2.copy_concurrency_limit = p.copy_limit;
  o.ec2.request_rate.enabled = p.ec2_request_rate;
  o.ec2.snapshot_content_bytes = p.snapshot_content_bytes;
  o.ec2.copy_time.same_region_bytes_per_sec = p.copy_time.same_region_bytes_per_sec;
  o.ec2.copy_time.cross_region_bytes_per_sec = p.copy_time.cross_region_bytes_per_sec;
  o.ec2.copy_time.fixed_latency = p.copy_time.fixed_latency;
  o.ec2.copy_time.jitter_sigma = p.copy_time.jitter_sigma;
  // Expand the pair rules over the run's regions; later rules override what they set.
  std::map<std::pair<std::string, std::string>, mock_aws::ec2::RegionPairBandwidth> pairs;
  for (const PairTimeRule& rule : p.copy_time.pairs) {
    for (const api::Region& s : regions) {
      if (rule.source != "*" && rule.source != s.str()) {
        continue;
      }
      for (const api::Region& d : regions) {
        if (rule.destination != "*" && rule.destination != d.str()) {
          continue;
        }
        mock_aws::ec2::RegionPairBandwidth& pair = pairs[{s.str(), d.str()}];
        pair.source = s;
        pair.destination = d;
        if (rule.bytes_per_sec != 0) {
          pair.bytes_per_sec = rule.bytes_per_sec;
        }
        if (rule.fixed_latency.has_value()) {
          pair.fixed_latency = rule.fixed_latency;
        }
        if (rule.jitter_sigma.has_value()) {
          pair.jitter_sigma = rule.jitter_sigma;
        }
      }
    }
  }
  for (auto& [key, pair] : pairs) {
    o.ec2.copy_time.region_pairs.push_back(std::move(pair));
  }
  return o;
}

sim::Result<Workload> build_workload(mock_aws::services::World& world,
                                     const LoadProfile& p,
                                     const std::vector<api::Region>& regions) {
  Workload w;
  w.owner = owner_account();
  w.regions = regions;
  world.set_regions(regions);
  if (sim::Status s = world.add_account(w.owner, "owner"); !s.ok()) {
    return setup_error("the owner account", s.error());
  }

  // ---- The owner's keys, one per region.
  const std::string policy = key_policy(w.owner);
  for (const api::Region& r : regions) {
    sim::Result<api::kms::KeyMetadata> key = world.kms().seed_key(
        {.account = w.owner, .region = r, .description = "ibsim load images", .policy = policy});
    if (!key.ok()) {
      return setup_error("the key in " + r.str(), key.error());
    }
    if (sim::Status s = world.kms().seed_alias(w.owner, r, kKeyAlias, key->arn); !s.ok()) {
      return setup_error("the key alias in " + r.str(), s.error());
    }
    w.keys.push_back(key->arn);
  }

  // ---- Target accounts and their distribution role.
  sim::Rng accounts_rng = world.context().rng().fork("load.accounts");
  const std::string trust = trust_policy(w.owner);
  const std::string role(kRoleName);
  w.targets.reserve(p.accounts);
  for (uint32_t i = 0; i < p.accounts; ++i) {
    const api::AccountId t = target_account(i);
    if (sim::Status s = world.add_account(t); !s.ok()) {
      return setup_error("target account " + t.str(), s.error());
    }
    w.targets.push_back(t);
    // Both draws always happen, so one share never moves the other's accounts.
    const bool missing_role = accounts_rng.chance(p.misconfigured.missing_role);
    const bool missing_kms = accounts_rng.chance(p.misconfigured.missing_kms_policy);
    if (missing_role) {
      ++w.accounts_missing_role;
      continue;
    }
    if (auto r =
            world.iam().seed_role(t, {.role_name = role, .assume_role_policy_document = trust});
        !r.ok()) {
      return setup_error("the role of " + t.str(), r.error());
    }
    if (sim::Status s = world.iam().seed_attach_role_policy(
            t,
            {.role_name = role,
             .policy_arn = std::string(mock_aws::iam::kCrossAccountDistributionPolicyArn)});
        !s.ok()) {
      return setup_error("the managed policy of " + t.str(), s.error());
    }
    if (missing_kms) {
      ++w.accounts_missing_kms_policy;
      continue;
    }
    if (sim::Status s =
            world.iam().seed_put_role_policy(t,
                                             {.role_name = role,
                                              .policy_name = "ImageBuilderKms",
                                              .policy_document = std::string(kKmsInlinePolicy)});
        !s.ok()) {
      return setup_error("the KMS policy of " + t.str(), s.error());
    }
  }

  // ---- Images: a source AMI each in the build region, and its distribution plan.
  sim::Rng start_rng = world.context().rng().fork("load.start");
  const api::Region& build_region = regions.front();
  for (uint32_t i = 0; i < p.images; ++i) {
    ImageRun image;
    image.index = i;
    image.pipeline = i % p.pipelines;
    image.start = start_of(p, i, start_rng);
    image.encrypted = image_encrypted(i, p.encrypted_share);
    if (image.encrypted) {
      ++w.encrypted_images;
    }
    const uint32_t version = i / p.pipelines;
    const std::string pipeline_name = "load-pipeline-" + std::to_string(image.pipeline);
    mock_aws::ec2::Ec2Model::SeedImage seed;
    seed.owner = w.owner;
    seed.region = build_region;
    seed.name = pipeline_name + "-1.0." + std::to_string(version) + "-build";
    seed.description = "built by Image Builder (ibsim load)";
    seed.block_devices[0].volume_size_gib = p.image_size_gib;
    if (image.encrypted) {
      seed.block_devices[0].kms_key_arn = w.keys.front();
    }
    seed.tags = {{std::string(kCreatedByKey), std::string(kCreatedByValue)}};
    sim::Result<std::string> ami = world.ec2().seed_image(seed);
    if (!ami.ok()) {
      return setup_error("source image " + std::to_string(i), ami.error());
    }

    ib::DistributionPlan& plan = image.plan;
    plan.image_arn = "arn:aws:imagebuilder:" + build_region.str() + ":" + w.owner.str() + ":image/"
                     + pipeline_name + "/1.0." + std::to_string(version) + "/1";
    plan.distribution_configuration_arn = "arn:aws:imagebuilder:" + build_region.str() + ":"
                                          + w.owner.str() + ":distribution-configuration/"
                                          + pipeline_name;
    plan.owner = w.owner;
    plan.source_region = build_region;
    plan.source_ami_id = *ami;
    plan.timeout = p.engine.distribution_timeout;
    for (std::size_t r = 0; r < regions.size(); ++r) {
      ib::RegionPlan rp;
      rp.region = regions[r];
      rp.ami = ib::AmiDistributionPlan{};
      rp.ami->name = pipeline_name + "-1.0." + std::to_string(version);
      rp.ami->description = "distributed by ibsim load";
      rp.ami->target_account_ids = w.targets;
      if (image.encrypted) {
        rp.ami->kms_key_id = w.keys[r];
      }
      plan.regions.push_back(std::move(rp));
    }
    w.images.push_back(std::move(image));
  }
  std::stable_sort(w.images.begin(), w.images.end(), [](const ImageRun& a, const ImageRun& b) {
    return a.start < b.start;
  });
  return w;
}

}  // namespace ibsim::load

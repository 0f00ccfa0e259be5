// The engine at scale: one encrypted image distributed to 1,000 target accounts in 16 regions —
// 16,000 cross-account copies plus the owner's 15 — in virtual time, through the direct transport
// and the real IAM, STS, KMS and EC2 models (real AES-GCM re-encryption of every snapshot). The
// timed part is the distribution itself (distribute() until its callback); building the world is
// not timed. Counters: copies, virtual makespan, calls, and memory per copy (peak RSS and the RSS
// growth during the run, divided by the copies).
//
//   build/release/bench/engine_distribution_bench --benchmark_counters_tabular=true

#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>
#include <sys/resource.h>
#include <unistd.h>

#include "mock_aws/api/arn.h"
#include "mock_aws/api/regions.h"
#include "mock_aws/ec2/ec2_model.h"
#include "mock_aws/iam/aws_managed_policies.h"
#include "mock_aws/kms/kms_model.h"
#include "mock_aws/services/world.h"
#include "sim/context.h"
#include "src/engine/distribution_engine.h"
#include "src/scenario/direct_clients.h"

namespace ibsim::engine {
namespace {

namespace api = mock_aws::api;
namespace ib = mock_aws::api::imagebuilder;

constexpr int kTargets = 1'000;
constexpr std::size_t kRegions = 16;

constexpr std::string_view kKmsInlinePolicy = R"({"Version": "2012-10-17", "Statement": [{
  "Effect": "Allow",
  "Action": ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*",
             "kms:DescribeKey", "kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"],
  "Resource": "*"}]})";

int64_t current_rss_bytes() {
  long pages = 0;
  long resident = 0;
  if (FILE* f = std::fopen("/proc/self/statm", "r")) {
    if (std::fscanf(f, "%ld %ld", &pages, &resident) != 2) {
      resident = 0;
    }
    std::fclose(f);
  }
  return static_cast<int64_t>(resident) * sysconf(_SC_PAGESIZE);
}

int64_t peak_rss_bytes() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<int64_t>(usage.ru_maxrss) * 1024;
}

void check(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "engine_distribution_bench: setup failed: %s\n", what);
    std::abort();
  }
}

struct BenchWorld {
  BenchWorld()
      : ctx({.seed = 2026}),
        world(ctx),
        kms(world.kms()),
        ec2(world.ec2()),
        clients(world),
        engine(ctx, clients, {}) {
    owner = api::AccountId::from_valid("100000000000");
    check(world.add_account(owner).ok(), "owner account");
    for (const api::RegionInfo& r : api::all_regions()) {
      if (regions.size() < kRegions && !r.opt_in) {
        regions.push_back(api::Region::from_known(r.name));
      }
    }
    check(regions.size() == kRegions, "16 regions");
    const std::string trust = R"({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
        "Principal": {"AWS": ")"
                              + api::root_arn(owner) + R"("}, "Action": "sts:AssumeRole"}]})";
    for (int i = 0; i < kTargets; ++i) {
      const api::AccountId t = api::AccountId::from_valid(std::to_string(200000000000LL + i));
      check(world.add_account(t).ok(), "target account");
      const std::string role(kCrossAccountRoleName);
      check(
          world.iam().seed_role(t, {.role_name = role, .assume_role_policy_document = trust}).ok(),
          "role");
      check(world.iam()
                .seed_attach_role_policy(
                    t,
                    {.role_name = role,
                     .policy_arn = std::string(mock_aws::iam::kCrossAccountDistributionPolicyArn)})
                .ok(),
            "managed policy");
      check(world.iam()
                .seed_put_role_policy(t,
                                      {.role_name = role,
                                       .policy_name = "kms",
                                       .policy_document = std::string(kKmsInlinePolicy)})
                .ok(),
            "inline policy");
      targets.push_back(t);
    }
    // One customer managed key per region. Its policy lets any account use it for EBS (a
    // statement naming 1,000 account roots would pass KMS's 32 KiB policy limit; real setups
    // use aws:PrincipalOrgID for this).
    const std::string policy = R"({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"AWS": ")"
                               + api::root_arn(owner) + R"("}, "Action": "kms:*", "Resource": "*"},
        {"Effect": "Allow", "Principal": {"AWS": "*"},
         "Action": ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*",
                    "kms:DescribeKey", "kms:CreateGrant"], "Resource": "*"}]})";
    for (const api::Region& r : regions) {
      sim::Result<api::kms::KeyMetadata> key =
          kms.seed_key({.account = owner, .region = r, .description = "images", .policy = policy});
      check(key.ok(), "key");
      keys.push_back(key->arn);
    }
    mock_aws::ec2::Ec2Model::SeedImage seed;
    seed.owner = owner;
    seed.region = regions.front();
    seed.name = "golden-source";
    seed.block_devices[0].kms_key_arn = keys.front();
    sim::Result<std::string> ami = ec2.seed_image(seed);
    check(ami.ok(), "source image");
    source_ami = *ami;
  }

  ib::DistributionPlan plan() const {
    ib::DistributionPlan p;
    p.image_arn = "arn:aws:imagebuilder:" + regions.front().str() + ":" + owner.str()
                  + ":image/golden/1.0.0/1";
    p.owner = owner;
    p.source_region = regions.front();
    p.source_ami_id = source_ami;
    for (std::size_t i = 0; i < regions.size(); ++i) {
      ib::RegionPlan rp;
      rp.region = regions[i];
      rp.ami = ib::AmiDistributionPlan{};
      rp.ami->name = "golden-2026-01-01T00-00-00Z";
      rp.ami->target_account_ids = targets;
      rp.ami->kms_key_id = keys[i];
      p.regions.push_back(std::move(rp));
    }
    return p;
  }

  sim::Context ctx;
  mock_aws::services::World world;
  mock_aws::kms::KmsModel& kms;
  mock_aws::ec2::Ec2Model& ec2;
  scenario::DirectClientFactory clients;
  DistributionEngine engine;
  api::AccountId owner;
  std::vector<api::Region> regions;
  std::vector<api::AccountId> targets;
  std::vector<std::string> keys;
  std::string source_ami;
};

void BM_Engine_Distribute_1000Accounts_16Regions(benchmark::State& state) {
  for (auto _ : state) {
    state.PauseTiming();
    auto w = std::make_unique<BenchWorld>();
    const ib::DistributionPlan plan = w->plan();
    const int64_t rss_before = current_rss_bytes();
    std::optional<ib::DistributionResult> result;
    state.ResumeTiming();

    w->engine.distribute(plan, [&](ib::DistributionResult r) { result = std::move(r); });
    w->ctx.scheduler().run();

    state.PauseTiming();
    const int64_t rss_after = current_rss_bytes();
    check(result.has_value() && result->ok, result.has_value() ? result->reason.c_str() : "done");
    const auto copies = static_cast<double>(w->ec2.copies_started());
    state.counters["copies"] = copies;
    state.counters["amis"] = static_cast<double>(result->amis.size());
    state.counters["virtual_min"] =
        static_cast<double>((w->ctx.now() - sim::Instant::start()).whole_seconds()) / 60.0;
    state.counters["calls"] = static_cast<double>(w->engine.stats().calls);
    state.counters["polls"] = static_cast<double>(w->engine.stats().polls);
    state.counters["events"] = static_cast<double>(w->ctx.scheduler().events_run());
    state.counters["peak_rss_MiB"] = static_cast<double>(peak_rss_bytes()) / (1 << 20);
    state.counters["peak_rss_per_copy_KiB"] =
        static_cast<double>(peak_rss_bytes()) / 1024.0 / copies;
    state.counters["rss_growth_per_copy_KiB"] =
        static_cast<double>(rss_after - rss_before) / 1024.0 / copies;
    w.reset();
    state.ResumeTiming();
  }
}

BENCHMARK(BM_Engine_Distribute_1000Accounts_16Regions)
    ->Unit(benchmark::kMillisecond)
    ->Iterations(1)
    ->UseRealTime();

}  // namespace
}  // namespace ibsim::engine

BENCHMARK_MAIN();

// Load profiles: defaults, the JSON form with every key, malformed files (each error names the
// file and the JSON path), regions, account aliases, and the generator's sizes and plans.

#include "src/load/profile.h"

#include <catch2/catch.hpp>

#include "mock_aws/services/world.h"
#include "sim/context.h"
#include "src/load/workload.h"
#include "tests/test_printers.h"

namespace ibsim::load {
namespace {

std::string error_of(std::string_view text) {
  sim::Result<LoadProfile> p = read_profile(text, "p.json");
  REQUIRE_FALSE(p.ok());
  CHECK(p.error().code == "InvalidInput");
  return p.error().message;
}

TEST_CASE("Load: the default profile is the 400 accounts x 14 regions question", "[load]") {
  const LoadProfile p;
  CHECK(validate(p).ok());
  const auto regions = resolve_regions(p);
  REQUIRE(regions.ok());
  REQUIRE(regions->size() == 14);
  CHECK(regions->front().str() == "us-east-1");
  CHECK(planned_copies(p, regions->size()) == 400 * 14 + 13);
  CHECK(display_name(p, 14) == "400 accounts x 14 regions x 1 image, 100% encrypted");
}

TEST_CASE("Load: a profile file with every key", "[load]") {
  sim::Result<LoadProfile> p = read_profile(R"({
    "name": "nightly", "seed": 42, "accounts": 20, "regions": ["us-east-1", "eu-west-1"],
    "images": 6, "pipelines": 2,
    "start": {"pipeline_offset": "5m", "image_interval": "1h", "jitter": "30s"},
    "encrypted_share": "1/2", "image_size_gib": 30,
    "misconfigured": {"missing_role": 0.1, "missing_kms_policy": "1/20"},
    "ec2": {"copy_limit": 20, "request_rate": true},
    "copy_time": {"same_region_mib_per_s": 100, "cross_region_mib_per_s": 10,
                  "fixed_latency": "90s", "jitter_sigma": 0.3,
                  "pairs": [{"source": "us-east-1", "destination": "*", "seconds_per_gib": 60},
                            {"destination": "eu-west-1", "fixed_latency": "2m",
                             "jitter_sigma": 0}]},
    "engine": {"copies_per_account_region_max": 10, "copies_in_flight_max": 100,
               "poll_interval": "15s", "poll_interval_max": "1m", "poll_adaptive": false,
               "retry_attempts_max": 5,
               "backoff_base": "1s", "backoff_max": "30s", "distribution_timeout": "6h"},
    "faults": {"rules": [{"name": "t", "kind": "throttle", "probability": "1/50"}],
               "events": [{"at": "1h", "kind": "delete_role", "account": "target:3",
                           "role": "EC2ImageBuilderDistributionCrossAccountRole"}]},
    "limits": {"virtual_time_max": "2d", "events_max": 1000000, "snapshot_content_bytes": 32}
  })",
                                            "p.json");
  INFO((p.ok() ? std::string() : p.error().message));
  REQUIRE(p.ok());
  CHECK(p->name == "nightly");
  CHECK(p->seed == 42);
  CHECK(p->accounts == 20);
  CHECK(p->region_names == std::vector<std::string>{"us-east-1", "eu-west-1"});
  CHECK(p->images == 6);
  CHECK(p->pipelines == 2);
  CHECK(p->pipeline_offset == sim::Duration::minutes(5));
  CHECK(p->image_interval == sim::Duration::hours(1));
  CHECK(p->start_jitter == sim::Duration::seconds(30));
  CHECK(p->encrypted_share.num == 1);
  CHECK(p->encrypted_share.den == 2);
  CHECK(p->image_size_gib == 30);
  CHECK(p->misconfigured.missing_role.num == 1);
  CHECK(p->misconfigured.missing_role.den == 10);
  CHECK(p->copy_limit == 20);
  CHECK(p->ec2_request_rate);
  CHECK(p->copy_time.same_region_bytes_per_sec == uint64_t{100} << 20);
  CHECK(p->copy_time.fixed_latency == sim::Duration::seconds(90));
  CHECK_FALSE(p->engine.poll_adaptive);
  REQUIRE(p->copy_time.pairs.size() == 2);
  CHECK(p->copy_time.pairs[0].bytes_per_sec == (uint64_t{1} << 30) / 60);
  CHECK(p->copy_time.pairs[1].source == "*");
  CHECK(p->copy_time.pairs[1].jitter_sigma == 0.0);
  CHECK(p->engine.copies_in_flight_max == 100);
  CHECK(p->engine.distribution_timeout == sim::Duration::hours(6));
  REQUIRE(p->faults.rules.size() == 1);
  REQUIRE(p->faults.events.size() == 1);
  CHECK(p->faults.events[0].account == target_account(3));
  CHECK(p->virtual_time_max == sim::Duration::days(2));
  CHECK(p->events_max == 1'000'000);
  CHECK(p->snapshot_content_bytes == 32);
}

TEST_CASE("Load: malformed profiles name the file and the path", "[load]") {
  CHECK(error_of(R"({"acounts": 3})").starts_with("p.json: $.acounts: unknown key"));
  CHECK(error_of(R"({"accounts": -1})").starts_with("p.json: $.accounts"));
  CHECK(error_of(R"({"regions": ["us-east-1", "mars-1"]})").find("'mars-1' is not a region")
        != std::string::npos);
  CHECK(error_of(R"({"regions": 99})").starts_with("p.json: $.regions"));
  CHECK(error_of(R"({"encrypted_share": 1.5})").starts_with("p.json: $.encrypted_share"));
  CHECK(error_of(R"({"start": {"image_interval": "soon"}})")
            .starts_with("p.json: $.start.image_interval: expected a duration"));
  CHECK(error_of(R"({"copy_time": {"pairs": [{"source": "x"}]}})").find("'x' is not a region")
        != std::string::npos);
  CHECK(error_of(R"({"copy_time": {"pairs": [{"mib_per_s": 5, "seconds_per_gib": 5}]}})")
            .find("not both")
        != std::string::npos);
  CHECK(error_of(R"({"engine": {"retry_attempts_max": 0}})")
            .starts_with("p.json: $.engine.retry_attempts_max"));
  CHECK(error_of(R"({"engine": {"poll_adaptive": "yes"}})")
            .starts_with("p.json: $.engine.poll_adaptive"));
  CHECK(error_of(R"({"faults": {"rules": [{"name": "x", "kind": "nope"}]}})")
            .starts_with("p.json: $.faults.rules[0].kind"));
  CHECK(error_of(R"({"faults": {"events": [{"at": "1h", "kind": "delete_role",
                                            "account": "target:400", "role": "R"}]}})")
            .find("target:400")
        != std::string::npos);
  CHECK(error_of(R"({"accounts": 100000, "regions": 30, "images": 10})").find("copies")
        != std::string::npos);
  CHECK(error_of("{\"accounts\": 3,}").starts_with("p.json"));
  CHECK(error_of("[]").starts_with("p.json: $"));
}

TEST_CASE("Load: account aliases", "[load]") {
  CHECK(account_alias("source", 10) == owner_account());
  CHECK(account_alias("owner", 10) == owner_account());
  CHECK(account_alias("target:9", 10) == target_account(9));
  CHECK_FALSE(account_alias("target:10", 10).has_value());
  CHECK_FALSE(account_alias("target:", 10).has_value());
  CHECK_FALSE(account_alias("target:x", 10).has_value());
  CHECK(target_account(7).str() == "200000000007");
}

TEST_CASE("Load: the encrypted share is spread evenly over the images", "[load]") {
  auto encrypted = [](uint32_t n, sim::Ratio share) {
    uint32_t k = 0;
    for (uint32_t i = 0; i < n; ++i) {
      k += image_encrypted(i, share) ? 1U : 0U;
    }
    return k;
  };
  CHECK(encrypted(10, {1, 2}) == 5);
  CHECK(encrypted(1, {1, 2}) == 1);
  CHECK(encrypted(20, {0, 1}) == 0);
  CHECK(encrypted(20, {1, 1}) == 20);
  CHECK(encrypted(7, {3, 10}) == 2);
  CHECK(encrypted(100, {1, 3}) == 33);
}

TEST_CASE("Load: the generator builds the accounts keys images and plans", "[load]") {
  LoadProfile p;
  p.accounts = 12;
  p.region_count = 3;
  p.images = 4;
  p.pipelines = 2;
  p.image_interval = sim::Duration::minutes(30);
  p.pipeline_offset = sim::Duration::minutes(5);
  p.encrypted_share = {1, 2};
  p.misconfigured.missing_role = {1, 4};
  const auto regions = *resolve_regions(p);
  sim::Context ctx({.seed = 3});
  mock_aws::services::World world(ctx, world_options(p, regions));
  sim::Result<Workload> w = build_workload(world, p, regions);
  REQUIRE(w.ok());
  CHECK(w->targets.size() == 12);
  CHECK(w->keys.size() == 3);
  CHECK(w->images.size() == 4);
  CHECK(w->encrypted_images == 2);
  CHECK(w->accounts_missing_role > 0);
  CHECK(w->accounts_missing_role < 12);
  // Starts: pipeline offset plus the image's turn; sorted.
  CHECK(w->images[0].start == sim::Instant::start());
  CHECK(w->images[1].start == sim::Instant::start() + sim::Duration::minutes(5));
  CHECK(w->images[2].start == sim::Instant::start() + sim::Duration::minutes(30));
  CHECK(w->images[3].start == sim::Instant::start() + sim::Duration::minutes(35));
  for (const ImageRun& image : w->images) {
    REQUIRE(image.plan.regions.size() == 3);
    for (std::size_t r = 0; r < 3; ++r) {
      CHECK(image.plan.regions[r].ami->target_account_ids.size() == 12);
      CHECK(image.plan.regions[r].ami->kms_key_id == (image.encrypted ? w->keys[r] : ""));
    }
    const mock_aws::ec2::ImageRecord* source =
        world.ec2().find_image(regions.front(), image.plan.source_ami_id);
    REQUIRE(source != nullptr);
    CHECK(source->owner == owner_account());
  }
  CHECK(world.kms().find_alias_target(owner_account(), regions[1], kKeyAlias) == w->keys[1]);

  // The same seed builds the same world.
  sim::Context ctx2({.seed = 3});
  mock_aws::services::World world2(ctx2, world_options(p, regions));
  sim::Result<Workload> w2 = build_workload(world2, p, regions);
  REQUIRE(w2.ok());
  CHECK(w2->accounts_missing_role == w->accounts_missing_role);
  CHECK(w2->images[0].plan.source_ami_id == w->images[0].plan.source_ami_id);
}

TEST_CASE("Load: pair rules expand over the run's regions", "[load]") {
  LoadProfile p;
  p.copy_time.pairs.push_back({.source = "us-east-1", .bytes_per_sec = 1000});
  p.copy_time.pairs.push_back(
      {.destination = "us-west-2", .fixed_latency = sim::Duration::minutes(3)});
  const std::vector<api::Region> regions = {api::Region::from_known("us-east-1"),
                                            api::Region::from_known("us-west-2"),
                                            api::Region::from_known("eu-west-1")};
  const auto o = world_options(p, regions);
  const mock_aws::ec2::CopyTimeModel model(o.ec2.copy_time);
  CHECK(model.bytes_per_sec(regions[0], regions[2]) == 1000);
  CHECK(model.bytes_per_sec(regions[2], regions[0]) == p.copy_time.cross_region_bytes_per_sec);
  CHECK(model.fixed_latency(regions[0], regions[1]) == sim::Duration::minutes(3));
  CHECK(model.bytes_per_sec(regions[0], regions[1]) == 1000);
  CHECK(model.fixed_latency(regions[2], regions[0]) == p.copy_time.fixed_latency);
}

}  // namespace
}  // namespace ibsim::load

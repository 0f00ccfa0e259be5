#pragma once
// CopyTimeModel: how long an AMI copy takes in virtual time. A copy spends `fixed_latency` before
// any data moves (EC2 validating the request, creating grants), then transfers its snapshots'
// modelled bytes at the bandwidth of the (source, destination) region pair, multiplied by a
// log-normal jitter factor with median 1 drawn from the caller's seeded stream. Bandwidth, fixed
// latency and jitter can be set per (source, destination) pair, with same-region and cross-region
// defaults (the load tester, src/load, fills the pairs from its profile).
//
//   CopyTimeModel m({.cross_region_bytes_per_sec = 32 << 20});
//   sim::Duration d = m.fixed_latency(src, dst) + m.transfer_time(src, dst, 8ULL << 30, rng);

#include <cstdint>
#include <map>
#include <optional>
#include <utility>
#include <vector>

#include "mock_aws/api/ids.h"
#include "sim/base/result.h"
#include "sim/rng.h"
#include "sim/time.h"

namespace ibsim::mock_aws::ec2 {

// The copy-time model of one directional (source, destination) pair. Unset parts use the
// model's defaults; bytes_per_sec 0 means the default bandwidth (allowed when the pair sets
// something else).
struct RegionPairBandwidth {
  api::Region source;
  api::Region destination;
  uint64_t bytes_per_sec = 0;
  std::optional<sim::Duration> fixed_latency;
  std::optional<double> jitter_sigma;
};

class CopyTimeModel {
 public:
  static constexpr uint64_t kBytesPerSecMin = 1;
  static constexpr uint64_t kBytesPerSecMax = uint64_t{8} << 30;  // Keeps ns arithmetic in int64.
  static constexpr double kJitterSigmaMax = 2.0;

  struct Options {
    // Defaults give an 8 GiB AMI about 3 minutes in one region and 9.5 across regions.
    // Unconfirmed: AWS publishes no copy-time figures; these defaults (64 MiB/s within a region,
    // 16 MiB/s across, 60 s before data moves) are in the range copies take in practice.
    uint64_t same_region_bytes_per_sec = uint64_t{64} << 20;
    uint64_t cross_region_bytes_per_sec = uint64_t{16} << 20;
    std::vector<RegionPairBandwidth> region_pairs;  // Overrides for named pairs (directional).
    sim::Duration fixed_latency = sim::Duration::seconds(60);
    double jitter_sigma = 0.2;  // Log-normal shape of the transfer time; 0 = no jitter.
  };

  CopyTimeModel() : CopyTimeModel(Options{}) {}

  // Options must pass validate() (the composition root checks world files first).
  explicit CopyTimeModel(Options options);

  // InvalidParameterValue naming the first option out of range.
  static sim::Status validate(const Options& options);

  sim::Duration fixed_latency() const { return options_.fixed_latency; }

  // The pair's fixed latency (its own, else the default).
  sim::Duration fixed_latency(const api::Region& source, const api::Region& destination) const;

  uint64_t bytes_per_sec(const api::Region& source, const api::Region& destination) const;

  // Transfer time of `bytes` from `source` to `destination`, jittered with a draw from `rng`.
  sim::Duration transfer_time(const api::Region& source,
                              const api::Region& destination,
                              uint64_t bytes,
                              sim::Rng& rng) const;

  const Options& options() const { return options_; }

 private:
  struct PairModel {
    uint64_t bytes_per_sec = 0;  // 0: the default for the pair's kind.
    sim::Duration fixed_latency;
    double jitter_sigma = 0.0;
  };

  // The pair's model, or null when the pair has none of its own.
  const PairModel* find_pair(const api::Region& source, const api::Region& destination) const;

  Options options_;
  std::map<std::pair<api::Region, api::Region>, PairModel> pairs_;
};

}  // namespace ibsim::mock_aws::ec2

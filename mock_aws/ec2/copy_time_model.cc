#include "mock_aws/ec2/copy_time_model.h"

#include <string>

#include "sim/base/assert.h"

namespace ibsim::mock_aws::ec2 {

namespace {

constexpr int64_t kNanosPerSecond = 1'000'000'000;

sim::Status check_rate(uint64_t rate, const std::string& what) {
  if (rate < CopyTimeModel::kBytesPerSecMin || rate > CopyTimeModel::kBytesPerSecMax) {
    return sim::aws_error("InvalidParameterValue",
                          what + " must be between 1 and "
                              + std::to_string(CopyTimeModel::kBytesPerSecMax)
                              + " bytes per second");
  }
  return sim::ok_status();
}

}  // namespace

CopyTimeModel::CopyTimeModel(Options options) : options_(std::move(options)) {
  IBSIM_ASSERT(validate(options_).ok(), "copy-time options are validated by the composition root");
  for (const RegionPairBandwidth& pair : options_.region_pairs) {
    pairs_[{pair.source, pair.destination}] =
        PairModel{.bytes_per_sec = pair.bytes_per_sec,
                  .fixed_latency = pair.fixed_latency.value_or(options_.fixed_latency),
                  .jitter_sigma = pair.jitter_sigma.value_or(options_.jitter_sigma)};
  }
}

sim::Status CopyTimeModel::validate(const Options& options) {
  if (sim::Status s = check_rate(options.same_region_bytes_per_sec, "same_region_bytes_per_sec");
      !s.ok()) {
    return s;
  }
  if (sim::Status s = check_rate(options.cross_region_bytes_per_sec, "cross_region_bytes_per_sec");
      !s.ok()) {
    return s;
  }
  for (const RegionPairBandwidth& pair : options.region_pairs) {
    const std::string name = pair.source.str() + " -> " + pair.destination.str();
    const bool sets_other = pair.fixed_latency.has_value() || pair.jitter_sigma.has_value();
    if (pair.bytes_per_sec != 0 || !sets_other) {
      if (sim::Status s = check_rate(pair.bytes_per_sec, "bytes_per_sec of " + name); !s.ok()) {
        return s;
      }
    }
    if (pair.fixed_latency.has_value() && *pair.fixed_latency < sim::Duration::zero()) {
      return sim::aws_error("InvalidParameterValue",
                            "fixed_latency of " + name + " must not be negative");
    }
    if (pair.jitter_sigma.has_value()
        && !(*pair.jitter_sigma >= 0.0 && *pair.jitter_sigma <= kJitterSigmaMax)) {
      return sim::aws_error("InvalidParameterValue",
                            "jitter_sigma of " + name + " must be between 0 and 2");
    }
  }
  if (options.fixed_latency < sim::Duration::zero()) {
    return sim::aws_error("InvalidParameterValue", "fixed_latency must not be negative");
  }
  if (!(options.jitter_sigma >= 0.0 && options.jitter_sigma <= kJitterSigmaMax)) {
    return sim::aws_error("InvalidParameterValue", "jitter_sigma must be between 0 and 2");
  }
  return sim::ok_status();
}

const CopyTimeModel::PairModel* CopyTimeModel::find_pair(const api::Region& source,
                                                         const api::Region& destination) const {
  if (pairs_.empty()) {
    return nullptr;
  }
  const auto it = pairs_.find({source, destination});
  return it == pairs_.end() ? nullptr : &it->second;
}

sim::Duration CopyTimeModel::fixed_latency(const api::Region& source,
                                           const api::Region& destination) const {
  const PairModel* pair = find_pair(source, destination);
  return pair != nullptr ? pair->fixed_latency : options_.fixed_latency;
}

uint64_t CopyTimeModel::bytes_per_sec(const api::Region& source,
                                      const api::Region& destination) const {
  const PairModel* pair = find_pair(source, destination);
  if (pair != nullptr && pair->bytes_per_sec != 0) {
    return pair->bytes_per_sec;
  }
  return source == destination ? options_.same_region_bytes_per_sec
                               : options_.cross_region_bytes_per_sec;
}

sim::Duration CopyTimeModel::transfer_time(const api::Region& source,
                                           const api::Region& destination,
                                           uint64_t bytes,
                                           sim::Rng& rng) const {
  const PairModel* pair = find_pair(source, destination);
  const uint64_t rate = pair != nullptr && pair->bytes_per_sec != 0
                            ? pair->bytes_per_sec
                            : bytes_per_sec(source, destination);
  const double sigma = pair != nullptr ? pair->jitter_sigma : options_.jitter_sigma;
  // Whole seconds and the remainder separately: the remainder times 1e9 stays below 2^63 because
  // rate <= kBytesPerSecMax.
  const uint64_t seconds = bytes / rate;
  const uint64_t remainder_ns = (bytes % rate) * static_cast<uint64_t>(kNanosPerSecond) / rate;
  const sim::Duration median = sim::Duration::seconds(static_cast<int64_t>(seconds))
                               + sim::Duration::nanoseconds(static_cast<int64_t>(remainder_ns));
  if (sigma == 0.0 || median == sim::Duration::zero()) {
    return median;
  }
  return rng.log_normal(median, sigma);
}

}  // namespace ibsim::mock_aws::ec2

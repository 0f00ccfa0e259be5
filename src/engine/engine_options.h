#pragma once
// EngineOptions: every bound of the distribution engine, named with its unit — how often it polls
// a copy, how many copies run at once (engine-wide and per destination account and region), how
// often and how patiently it retries, how long sessions and distributions may last. Validated
// once by the composition root (validate()), then fixed for the engine's life.
//
//   DistributionEngine engine(ctx, clients, {.poll_interval = sim::Duration::seconds(15)});

#include <cstdint>
#include <string>

#include "sim/base/result.h"
#include "sim/time.h"

namespace ibsim::engine {

struct EngineOptions {
  // Waiting on asynchronous work: DescribeImages / DescribeInstances first poll_interval after
  // the call, then at doubling intervals up to poll_interval_max, at most polls_per_wait_max
  // times per wait (the distribution timeout usually ends a wait first).
  sim::Duration poll_interval = sim::Duration::seconds(30);
  sim::Duration poll_interval_max = sim::Duration::seconds(120);
  uint32_t polls_per_wait_max = 10'000;
  // Waiting on a copy: the first DescribeImages comes when this engine expects the copy to be
  // done, learnt per (source region, destination region) from the copies it has seen finish (a
  // moving average that starts at poll_interval and stays within [poll_interval,
  // poll_first_max]); if that poll finds it pending, polls go on at poll_interval, doubling up to
  // poll_interval_max. About half the copies are seen done at their first poll, so a copy costs
  // ~1.5 DescribeImages instead of ~3 at 30 s, 1 min, 2 min. false: every wait polls at
  // poll_interval, 2x, 4x ... as a build's does.
  // Unconfirmed: how Image Builder polls its own copies; this is ibsim's engine's choice.
  bool poll_adaptive = true;
  sim::Duration poll_first_max = sim::Duration::hours(1);

  // Target accounts added to an AMI's launch permission (and its snapshots' createVolumePermission)
  // by one ModifyImageAttribute / ModifySnapshotAttribute call. 1 makes one call per target.
  // Unconfirmed: whether Image Builder shares per target or in batches.
  uint32_t share_accounts_per_call_max = 200;

  // Copies in flight at once across every distribution of this engine (each holds one slot from
  // just before CopyImage until the copy is available or failed).
  uint32_t copies_in_flight_max = 4'000;
  // Copies in flight at once per distribution configuration, over every image distributed with
  // it: Image Builder's quota "Concurrent AMI copies per distribution configuration" (L-69312229,
  // 50 by default, aws-facts §1.8). 0: no such cap (the default, so runs that do not ask for it
  // keep their timing); `ibsim load` turns it on. Unconfirmed: how Image Builder applies the
  // quota (which copies count, whether it queues or fails); ibsim queues copies for a slot.
  uint32_t copies_per_distribution_max = 0;
  // Copies in flight at once per (destination account, destination region): Image Builder's
  // documented limit for cross-account distribution (aws-facts §1.8, §3.2).
  uint32_t copies_per_account_region_max = 50;
  // Jobs waiting for a copy slot, per cap (beyond it a job fails instead of queueing).
  uint64_t copy_waiters_max = 1'000'000;

  // Retries of one call: attempts include the first one. Throttling, RequestLimitExceeded,
  // ResourceLimitExceeded, 5xx and transport failures are retried; other errors are not.
  uint32_t retry_attempts_max = 8;
  // Backoff before retry n (n >= 1): min(backoff_max, backoff_base * 2^(n-1)), then "equal
  // jitter": half of it fixed, half drawn uniformly from the engine's seeded stream.
  sim::Duration backoff_base = sim::Duration::seconds(2);
  sim::Duration backoff_max = sim::Duration::seconds(120);

  // Sessions: requested DurationSeconds, and how long before expiry a cached session is renewed.
  int32_t session_duration_seconds = 3'600;
  sim::Duration session_refresh_margin = sim::Duration::minutes(5);
  // Cached role sessions kept at once (the cache is cleared past this).
  uint32_t sessions_cached_max = 100'000;

  // A distribution may not run longer than this, whatever its plan says (the plan's own timeout
  // applies when shorter). Unfinished jobs then fail as timed out.
  sim::Duration distribution_timeout_max = sim::Duration::minutes(720);
  // A build (launch, create image, wait) may not run longer than this.
  sim::Duration build_timeout = sim::Duration::hours(4);
  // Unconfirmed: Image Builder picks the build instance type from the infrastructure
  // configuration; the build plan carries none, so the engine launches this type.
  std::string build_instance_type = "m5.large";

  // Bounds on the engine itself: distributions and builds running at once, and steps run by one
  // job within one event before it yields (every step makes at most one call).
  uint32_t runs_max = 10'000;
  uint32_t steps_per_event_max = 64;
};

// InvalidParameterValue naming the first option out of range.
sim::Status validate(const EngineOptions& options);

}  // namespace ibsim::engine

#include "src/engine/engine_options.h"

#include <string>

namespace ibsim::engine {
namespace {

sim::AwsError invalid(const std::string& what) {
  return sim::aws_error("InvalidParameterValue", "Engine option " + what);
}

}  // namespace

sim::Status validate(const EngineOptions& o) {
  if (o.poll_interval <= sim::Duration::zero()) {
    return invalid("poll_interval must be positive.");
  }
  if (o.poll_interval_max < o.poll_interval) {
    return invalid("poll_interval_max must be at least poll_interval.");
  }
  if (o.share_accounts_per_call_max == 0 || o.share_accounts_per_call_max > 1'000) {
    return invalid("share_accounts_per_call_max must be between 1 and 1000.");
  }
  if (o.poll_first_max < o.poll_interval) {
    return invalid("poll_first_max must be at least poll_interval.");
  }
  if (o.polls_per_wait_max == 0) {
    return invalid("polls_per_wait_max must be at least 1.");
  }
  if (o.copies_in_flight_max == 0) {
    return invalid("copies_in_flight_max must be at least 1.");
  }
  if (o.copies_per_account_region_max == 0) {
    return invalid("copies_per_account_region_max must be at least 1.");
  }
  if (o.copy_waiters_max == 0) {
    return invalid("copy_waiters_max must be at least 1.");
  }
  if (o.retry_attempts_max == 0 || o.retry_attempts_max > 100) {
    return invalid("retry_attempts_max must be between 1 and 100.");
  }
  if (o.backoff_base <= sim::Duration::zero() || o.backoff_max < o.backoff_base) {
    return invalid("backoff_base must be positive and at most backoff_max.");
  }
  if (o.backoff_max > sim::Duration::hours(24)) {
    return invalid("backoff_max must be at most 24 hours.");
  }
  if (o.session_duration_seconds < 900 || o.session_duration_seconds > 43'200) {
    return invalid("session_duration_seconds must be between 900 and 43200.");
  }
  if (o.session_refresh_margin < sim::Duration::zero()
      || o.session_refresh_margin >= sim::Duration::seconds(o.session_duration_seconds)) {
    return invalid("session_refresh_margin must be shorter than the session.");
  }
  if (o.sessions_cached_max == 0) {
    return invalid("sessions_cached_max must be at least 1.");
  }
  if (o.distribution_timeout_max <= sim::Duration::zero()) {
    return invalid("distribution_timeout_max must be positive.");
  }
  if (o.build_timeout <= sim::Duration::zero()) {
    return invalid("build_timeout must be positive.");
  }
  if (o.build_instance_type.empty()) {
    return invalid("build_instance_type must not be empty.");
  }
  if (o.runs_max == 0) {
    return invalid("runs_max must be at least 1.");
  }
  if (o.steps_per_event_max == 0) {
    return invalid("steps_per_event_max must be at least 1.");
  }
  return sim::ok_status();
}

}  // namespace ibsim::engine

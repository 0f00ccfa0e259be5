#include "src/faults/fault_injector.h"

#include <algorithm>
#include <array>
#include <utility>

#include "sim/base/assert.h"
#include "src/client/call_error.h"

namespace ibsim::faults {
namespace {

using CopyStep = mock_aws::ec2::Ec2Model::CopyStep;
using CopyStepVerdict = mock_aws::ec2::Ec2Model::CopyStepVerdict;

std::string json_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      out += ' ';
    } else {
      out += c;
    }
  }
  return out;
}

// ibsim's note on an injected error (AwsError::explanation), so a report can tell an injected
// fault from a real one.
std::string fault_note(std::string_view source, std::string_view name, std::string_view kind) {
  return "{\"injectedBy\": \"" + std::string(source) + "\", \"name\": \"" + json_escape(name)
         + "\", \"kind\": \"" + std::string(kind) + "\"}";
}

bool operation_matches(const std::string& wanted, std::string_view operation) {
  return wanted.empty() || wanted == "*" || wanted == operation;
}

// The KMS calls EBS makes for one copy step, with the region each is made in (ibsim's model of
// EC2's internal calls, kms_ebs.h): setup resolves the destination key; completion unwraps the
// source data keys in the source region and wraps new ones in the destination region.
struct KmsCall {
  std::string_view operation;
  const api::Region* region;
};

std::size_t kms_calls_of(const mock_aws::ec2::Ec2Model::CopyStepView& view,
                         std::array<KmsCall, 4>& out) {
  std::size_t n = 0;
  if (view.step == CopyStep::kSetup) {
    if (view.encrypted) {
      out[n++] = {"DescribeKey", view.region};
    }
    return n;
  }
  if (view.source_encrypted) {
    out[n++] = {"CreateGrant", view.source_region};
    out[n++] = {"Decrypt", view.source_region};
  }
  if (view.encrypted) {
    out[n++] = {"CreateGrant", view.region};
    out[n++] = {"GenerateDataKeyWithoutPlaintext", view.region};
  }
  return n;
}

}  // namespace

sim::AwsError fault_error(Service service, FaultKind kind, std::string_view rule_name) {
  // Unconfirmed: the messages of throttling and internal errors per service (the codes are the
  // ones each protocol documents; the texts are those commonly seen).
  sim::AwsError e;
  const bool throttle = kind == FaultKind::kThrottle;
  switch (service) {
    case Service::kAny:
    case Service::kEc2:
      e = throttle ? sim::aws_error("RequestLimitExceeded", "Request limit exceeded.", 503)
                   : sim::aws_error("InternalError", "An internal error has occurred.", 500);
      break;
    case Service::kSts:
    case Service::kIam:
      e = throttle ? sim::aws_error("Throttling", "Rate exceeded", 400)
                   : sim::aws_error("InternalFailure",
                                    "The request processing has failed because of an unknown "
                                    "error, exception or failure.",
                                    500);
      break;
    case Service::kSsm:
      e = throttle ? sim::aws_error("ThrottlingException", "Rate exceeded", 400)
                   : sim::aws_error("InternalServerError", "An internal error occurred.", 500);
      break;
    case Service::kKms:
      e = throttle ? sim::aws_error("ThrottlingException",
                                    "You have exceeded the rate at which you may call KMS. Reduce "
                                    "the frequency of your calls.",
                                    400)
                   : sim::aws_error("KMSInternalException", "An internal error occurred.", 500);
      break;
  }
  e.explanation = fault_note("faultRule", rule_name, to_string(kind));
  return e;
}

sim::AwsError outage_error(Service service, const RegionOutage& outage) {
  // Unconfirmed: what a dark region's endpoints answer; ibsim uses each protocol's 503.
  sim::AwsError e =
      service == Service::kEc2 || service == Service::kAny ? sim::aws_error(
          "Unavailable", "The server is overloaded and can't handle the request.", 503)
      : service == Service::kSsm || service == Service::kKms
          ? sim::aws_error("ServiceUnavailableException", "Service is unavailable.", 503)
          : sim::aws_error("ServiceUnavailable", "Service is unable to handle request.", 503);
  e.explanation = fault_note("regionOutage", outage.name, "outage");
  return e;
}

FaultInjector::FaultInjector(sim::Context& ctx, FaultPlan plan)
    : ctx_(ctx), plan_(std::move(plan)) {
  IBSIM_ASSERT(validate(plan_).ok(), "fault plans are validated by the composition root");
  rule_rngs_.reserve(plan_.rules.size());
  for (const FaultRule& rule : plan_.rules) {
    rule_rngs_.push_back(ctx_.rng().fork("faults.rule." + rule.name));
  }
  rule_counters_.resize(plan_.rules.size());
  for (RegionOutage& outage : plan_.outages) {
    if (outage.name.empty()) {
      outage.name = "outage." + outage.region.str();
    }
  }
  outage_counters_.resize(plan_.outages.size());
}

bool FaultInjector::matches(const FaultRule& rule,
                            Service service,
                            std::string_view operation,
                            const api::AccountId* account,
                            const api::Region* region) const {
  const FaultMatch& m = rule.match;
  if (m.service != Service::kAny && m.service != service) {
    return false;
  }
  if (!operation_matches(m.operation, operation)) {
    return false;
  }
  if (m.account.has_value() && (account == nullptr || *account != *m.account)) {
    return false;
  }
  if (m.region.has_value() && (region == nullptr || *region != *m.region)) {
    return false;
  }
  return true;
}

int FaultInjector::first_firing_rule(const Call& call, sim::Instant now) {
  for (std::size_t i = 0; i < plan_.rules.size(); ++i) {
    const FaultRule& rule = plan_.rules[i];
    if (!rule.enabled || rule.kind == FaultKind::kDelay || !rule.window.contains(now)
        || rule_counters_[i].fired >= rule.fires_max
        || !matches(rule, call.service, call.operation, call.account, call.region)) {
      continue;
    }
    ++rule_counters_[i].matched;
    if (rule_rngs_[i].chance(rule.probability)) {
      ++rule_counters_[i].fired;
      return static_cast<int>(i);
    }
  }
  return -1;
}

FaultInjector::Verdict FaultInjector::on_call(const Call& call) {
  const sim::Instant now = ctx_.now();
  Verdict verdict;
  if (call.region != nullptr) {
    for (std::size_t i = 0; i < plan_.outages.size(); ++i) {
      const RegionOutage& outage = plan_.outages[i];
      if (outage.enabled && outage.region == *call.region && outage.window.contains(now)) {
        ++outage_counters_[i].calls_refused;
        verdict.kind = Verdict::Kind::kRefuse;
        verdict.error = outage_error(call.service, outage);
        return verdict;
      }
    }
  }
  if (const int fired = first_firing_rule(call, now); fired >= 0) {
    const FaultRule& rule = plan_.rules[static_cast<std::size_t>(fired)];
    switch (rule.kind) {
      case FaultKind::kThrottle:
      case FaultKind::kServerError:
        verdict.kind = Verdict::Kind::kRefuse;
        verdict.error = fault_error(call.service, rule.kind, rule.name);
        return verdict;
      case FaultKind::kDrop:
        verdict.kind = Verdict::Kind::kRefuse;
        verdict.error = client::not_sent("ibsim fault rule '" + rule.name
                                         + "': the request never reached the service");
        verdict.error.explanation = fault_note("faultRule", rule.name, to_string(rule.kind));
        return verdict;
      case FaultKind::kTimeoutAfterSend:
        verdict.kind = Verdict::Kind::kLoseReply;
        verdict.error = client::maybe_applied("ibsim fault rule '" + rule.name
                                              + "': the service acted but its reply was lost");
        verdict.error.explanation = fault_note("faultRule", rule.name, to_string(rule.kind));
        break;
      case FaultKind::kDelay:
        IBSIM_ASSERT(false, "delay rules are not error rules");
        break;
    }
  }
  // Latency: every delay rule that matches draws, and the delays of those that fire add up.
  for (std::size_t i = 0; i < plan_.rules.size(); ++i) {
    const FaultRule& rule = plan_.rules[i];
    if (!rule.enabled || rule.kind != FaultKind::kDelay || !rule.window.contains(now)
        || rule_counters_[i].fired >= rule.fires_max
        || !matches(rule, call.service, call.operation, call.account, call.region)) {
      continue;
    }
    ++rule_counters_[i].matched;
    if (rule_rngs_[i].chance(rule.probability)) {
      ++rule_counters_[i].fired;
      verdict.latency += rule.delay;
    }
  }
  return verdict;
}

CopyStepVerdict FaultInjector::on_copy_step(const mock_aws::ec2::Ec2Model::CopyStepView& view) {
  const sim::Instant now = ctx_.now();
  CopyStepVerdict verdict;

  // ---- Region outages: the copy is frozen from when a dark period involving its source or
  // destination began (or from its own start) until the period ends.
  std::vector<std::pair<sim::Instant, sim::Instant>> frozen;
  int failing = -1;
  for (std::size_t i = 0; i < plan_.outages.size(); ++i) {
    const RegionOutage& o = plan_.outages[i];
    if (!o.enabled || (o.region != *view.region && o.region != *view.source_region)) {
      continue;
    }
    if (o.window.start > now || o.window.end <= view.started) {
      continue;  // Not begun yet, or over before the copy started.
    }
    if (o.copies == OutageCopies::kFail) {
      failing = static_cast<int>(i);
      break;
    }
    frozen.emplace_back(std::max(o.window.start, view.started), o.window.end);
  }
  if (failing >= 0) {
    const RegionOutage& o = plan_.outages[static_cast<std::size_t>(failing)];
    ++outage_counters_[static_cast<std::size_t>(failing)].copies_failed;
    outage_stalled_.erase(std::string(view.image_id));
    verdict.kind = CopyStepVerdict::Kind::kFail;
    verdict.cause = outage_error(Service::kEc2, o);
    verdict.cause.message = "Region " + o.region.str() + " was unavailable from "
                            + faults::format_duration(o.window.start.since_start()) + " to "
                            + faults::format_duration(o.window.end.since_start()) + " (outage '"
                            + o.name + "')";
    return verdict;
  }
  if (!frozen.empty()) {
    // Overlapping dark periods (source and destination both dark) freeze the copy once.
    std::sort(frozen.begin(), frozen.end());
    sim::Duration total;
    sim::Instant covered = sim::Instant::start();
    for (const auto& [from, to] : frozen) {
      const sim::Instant begin = std::max(from, covered);
      if (to > begin) {
        total += to - begin;
        covered = to;
      }
    }
    sim::Duration& given = outage_stalled_[std::string(view.image_id)];
    if (total > given) {
      verdict.kind = CopyStepVerdict::Kind::kPostpone;
      verdict.delay = total - given;
      given = total;
      for (std::size_t i = 0; i < plan_.outages.size(); ++i) {
        const RegionOutage& o = plan_.outages[i];
        if (o.enabled && (o.region == *view.region || o.region == *view.source_region)
            && o.window.start <= now && o.window.end > view.started) {
          ++outage_counters_[i].copies_stalled;
        }
      }
      return verdict;
    }
  }

  // ---- KMS faults on EBS's calls in this step: EC2 retries after kms_retry_delay, at most
  // kms_attempts_max attempts, then fails the copy.
  std::array<KmsCall, 4> calls{};
  const std::size_t n = kms_calls_of(view, calls);
  for (std::size_t i = 0; i < plan_.rules.size() && n > 0; ++i) {
    const FaultRule& rule = plan_.rules[i];
    if (!rule.enabled || !rule.window.contains(now) || rule_counters_[i].fired >= rule.fires_max
        || (rule.match.service != Service::kKms && rule.match.service != Service::kAny)) {
      continue;
    }
    bool any = false;
    for (std::size_t k = 0; k < n && !any; ++k) {
      any = matches(rule, Service::kKms, calls[k].operation, view.account, calls[k].region);
    }
    if (!any) {
      continue;
    }
    ++rule_counters_[i].matched;
    if (!rule_rngs_[i].chance(rule.probability)) {
      continue;
    }
    ++rule_counters_[i].fired;
    if (rule.kind == FaultKind::kDelay) {
      verdict.kind = CopyStepVerdict::Kind::kPostpone;
      verdict.delay = rule.delay;
      return verdict;
    }
    if (view.postponements + 1 < plan_.kms_attempts_max
        && plan_.kms_retry_delay > sim::Duration::zero()) {
      verdict.kind = CopyStepVerdict::Kind::kPostpone;
      verdict.delay = plan_.kms_retry_delay;
      return verdict;
    }
    if (!outage_stalled_.empty()) {
      outage_stalled_.erase(std::string(view.image_id));
    }
    verdict.kind = CopyStepVerdict::Kind::kFail;
    verdict.cause = fault_error(
        Service::kKms,
        rule.kind == FaultKind::kThrottle ? FaultKind::kThrottle : FaultKind::kServerError,
        rule.name);
    return verdict;
  }
  if (view.step == CopyStep::kComplete && !outage_stalled_.empty()) {
    outage_stalled_.erase(std::string(view.image_id));
  }
  return verdict;
}

bool FaultInjector::set_rule_enabled(std::string_view name, bool enabled) {
  for (FaultRule& rule : plan_.rules) {
    if (rule.name == name) {
      rule.enabled = enabled;
      return true;
    }
  }
  return false;
}

bool FaultInjector::set_outage_enabled(std::string_view name, bool enabled) {
  bool found = false;
  for (RegionOutage& outage : plan_.outages) {
    if (outage.name == name) {
      outage.enabled = enabled;
      found = true;
    }
  }
  return found;
}

void FaultInjector::set_all_enabled(bool enabled) {
  for (FaultRule& rule : plan_.rules) {
    rule.enabled = enabled;
  }
  for (RegionOutage& outage : plan_.outages) {
    outage.enabled = enabled;
  }
}

bool FaultInjector::region_dark(const api::Region& region, sim::Instant at) const {
  return std::any_of(plan_.outages.begin(), plan_.outages.end(), [&](const RegionOutage& o) {
    return o.enabled && o.region == region && o.window.contains(at);
  });
}

}  // namespace ibsim::faults

#include "src/cli/load_command.h"

#include <cstdio>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include <sys/resource.h>
#include <unistd.h>

#include "mock_aws/api/regions.h"
#include "src/cli/load_progress.h"
#include "src/faults/fault_plan.h"
#include "src/load/chart.h"
#include "src/load/profile.h"
#include "src/load/report.h"
#include "src/load/runner.h"
#include "src/load/workload.h"

namespace ibsim::cli {

const std::string_view kLoadUsage = R"(Usage:
  ibsim load [PROFILE.json] [options]

Distributes a generated workload — target accounts x regions x images — through the
distribution engine and the IAM, STS, KMS and EC2 models in virtual time, and reports how
long it took (makespan, copies per simulated hour), how long jobs took and waited
(p50/p95/p99), where the caps bit (peak and mean copies in flight per region and per
(account, region)), and retries and failures by cause. Deterministic for a seed.
Flags override the profile file (docs/load-testing.md describes its keys).

Workload:
  --accounts N            target accounts (default 400)
  --regions N|A,B,...     how many regions, or which (default 14; the first builds)
  --images N              images distributed (pipeline executions, default 1)
  --pipelines N           pipelines the images come from (default 1)
  --image-interval D      between two images of one pipeline (e.g. 30m; default 0)
  --pipeline-offset D     between the first images of two pipelines (default 0)
  --start-jitter D        uniform jitter added to each start (default 0)
  --encrypted-share R     share of images encrypted with a CMK (0..1, default 1)
  --image-size-gib N      modelled size of each image (default 8)
  --missing-role R        share of target accounts without the cross-account role
  --missing-kms-policy R  share of target accounts whose role lacks the KMS policy
Caps, time and faults:
  --copy-limit N          EC2's concurrent copies per (account, region) (default 50)
  --engine-cap N          the engine's copies in flight in all (default 4000)
  --per-account-cap N     the engine's copies per (account, region) (default 50)
  --per-distribution-cap N  Image Builder's concurrent copies per distribution configuration
                          (quota L-69312229, default 50; 0: no cap)
  --request-rate          turn on EC2's request-rate buckets (RequestLimitExceeded)
  --cross-region-mibps N  copy bandwidth between regions (default 16)
  --faults FILE.json      a fault plan (rules, outages, world events)
  --throttle P            EC2 calls throttled with probability P (e.g. 1/20)
  --server-errors P       EC2 and STS calls answered 500 with probability P
  --timeouts P            CopyImage replies lost after EC2 acted, with probability P
  --kms-throttle P        EBS's KMS calls in copies throttled with probability P
  --outage REGION,T0,T1   REGION dark from T0 to T1 (copies stall), e.g. eu-west-1,1h,3h
  --disable-key REGION,T  the owner's key in REGION disabled at T
  --delete-role ACCT,T    the cross-account role of ACCT (an id or target:N) deleted at T
Run and output:
  --seed N                the run's seed (default: the profile's, else 1)
  --virtual-time-max D    stop after this much virtual time (default 7d)
  --format text|json      the report's format (default text)
  --chart FILE            write the chart: FILE.html (page) or FILE.svg
  --trace FILE            write Chrome trace-event JSON (Perfetto): a track per account and
                          region, copy spans, queue waits, retries
  --trace-events-max N    stop writing the trace after N events (default 2000000)
  --no-progress           no progress line on stderr (shown only on a terminal anyway)
  --timing                print wall time and peak memory to stderr at the end

Examples:
  ibsim load --accounts 400 --regions 14 --chart load.html
  ibsim load --accounts 400 --regions 14 --kms-throttle 1/10 --outage eu-west-1,30m,2h
  ibsim load bench/profiles/400x14.json --format json > report.json

Exit status: 0 when every distribution ended (whatever failed in it), 1 when the run hit a
bound before that, 2 on bad usage or a bad profile.
)";

namespace {

constexpr int kExitBounded = 1;
constexpr int kExitUsage = 2;

struct Options {
  std::optional<std::string> profile_path;
  std::string format = "text";
  std::string chart_path;
  std::string trace_path;
  uint64_t trace_events_max = 2'000'000;
  bool progress = true;
  bool timing = false;
};

bool parse_uint(const std::string& text, uint64_t max, uint64_t* out) {
  if (text.empty() || text.size() > 19) {
    return false;
  }
  uint64_t v = 0;
  for (const char c : text) {
    if (c < '0' || c > '9') {
      return false;
    }
    v = v * 10 + static_cast<uint64_t>(c - '0');
  }
  if (v > max) {
    return false;
  }
  *out = v;
  return true;
}

std::vector<std::string> split(const std::string& text, char sep) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (true) {
    const std::size_t at = text.find(sep, start);
    out.push_back(text.substr(start, at == std::string::npos ? std::string::npos : at - start));
    if (at == std::string::npos) {
      return out;
    }
    start = at + 1;
  }
}

bool write_file(const std::string& path, const std::string& content) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << content;
  out.flush();
  return static_cast<bool>(out);
}

int usage_error(const std::string& message) {
  std::fprintf(stderr, "ibsim load: %s (see `ibsim load --help`)\n", message.c_str());
  return kExitUsage;
}

// The flags, applied over the profile (read first, whatever the order on the command line).
class FlagReader {
 public:
  FlagReader(std::span<const std::string> args, Options& o) : args_(args), o_(o) {}

  // First pass: the profile path and the output options.
  std::optional<std::string> scan();
  // Second pass: workload flags over `p`.
  std::optional<std::string> apply(load::LoadProfile& p);

 private:
  std::span<const std::string> args_;
  Options& o_;
};

bool takes_value(const std::string& flag) {
  return flag != "--request-rate" && flag != "--no-progress" && flag != "--timing";
}

std::optional<std::string> FlagReader::scan() {
  for (std::size_t i = 0; i < args_.size(); ++i) {
    const std::string& a = args_[i];
    if (!a.starts_with("--")) {
      if (o_.profile_path.has_value()) {
        return "more than one profile file given ('" + a + "')";
      }
      o_.profile_path = a;
      continue;
    }
    if (!takes_value(a)) {
      if (a == "--no-progress") {
        o_.progress = false;
      } else if (a == "--timing") {
        o_.timing = true;
      }
      continue;
    }
    if (i + 1 >= args_.size()) {
      return a + " needs a value";
    }
    const std::string& v = args_[++i];
    if (a == "--format") {
      if (v != "text" && v != "json") {
        return "--format is text or json, not '" + v + "'";
      }
      o_.format = v;
    } else if (a == "--chart") {
      if (!v.ends_with(".html") && !v.ends_with(".svg")) {
        return "--chart writes FILE.html or FILE.svg, not '" + v + "'";
      }
      o_.chart_path = v;
    } else if (a == "--trace") {
      o_.trace_path = v;
    } else if (a == "--trace-events-max") {
      if (!parse_uint(v, 1'000'000'000, &o_.trace_events_max)) {
        return "--trace-events-max takes a count, not '" + v + "'";
      }
    } else if (a == "--profile") {
      if (o_.profile_path.has_value()) {
        return "more than one profile file given";
      }
      o_.profile_path = v;
    }
  }
  return std::nullopt;
}

std::optional<std::string> FlagReader::apply(load::LoadProfile& p) {
  uint32_t rule_counter = 0;
  auto add_rule = [&](faults::FaultRule rule) {
    rule.name = "flag-" + std::to_string(++rule_counter) + "-" + rule.name;
    p.faults.rules.push_back(std::move(rule));
  };
  for (std::size_t i = 0; i < args_.size(); ++i) {
    const std::string& a = args_[i];
    if (!a.starts_with("--")) {
      continue;
    }
    if (!takes_value(a)) {
      if (a == "--request-rate") {
        p.ec2_request_rate = true;
      } else if (a != "--no-progress" && a != "--timing") {
        return "unknown option " + a;
      }
      continue;
    }
    const std::string& v = args_[++i];
    uint64_t n = 0;
    auto count = [&](uint64_t max) -> std::optional<std::string> {
      if (!parse_uint(v, max, &n)) {
        return a + " takes a whole number up to " + std::to_string(max) + ", not '" + v + "'";
      }
      return std::nullopt;
    };
    auto duration = [&](sim::Duration* out) -> std::optional<std::string> {
      std::optional<sim::Duration> d = faults::parse_duration(v);
      if (!d.has_value()) {
        return a + " takes a duration such as 30m or 1h30m, not '" + v + "'";
      }
      *out = *d;
      return std::nullopt;
    };
    auto ratio = [&](sim::Ratio* out) -> std::optional<std::string> {
      std::optional<sim::Ratio> r = faults::parse_ratio(v);
      if (!r.has_value()) {
        return a + " takes a share such as 0.05 or 1/20 (at most 1), not '" + v + "'";
      }
      *out = *r;
      return std::nullopt;
    };
    std::optional<std::string> err;
    if (a == "--format" || a == "--chart" || a == "--trace" || a == "--trace-events-max"
        || a == "--profile") {
      continue;  // Read by scan().
    } else if (a == "--accounts") {
      if (!(err = count(load::LoadLimits::kAccountsMax))) {
        p.accounts = static_cast<uint32_t>(n);
      }
    } else if (a == "--regions") {
      if (parse_uint(v, 1000, &n)) {
        p.region_count = static_cast<uint32_t>(n);
        p.region_names.clear();
      } else {
        p.region_names = split(v, ',');
      }
    } else if (a == "--images") {
      if (!(err = count(load::LoadLimits::kImagesMax))) {
        p.images = static_cast<uint32_t>(n);
      }
    } else if (a == "--pipelines") {
      if (!(err = count(load::LoadLimits::kPipelinesMax))) {
        p.pipelines = static_cast<uint32_t>(n);
      }
    } else if (a == "--image-interval") {
      err = duration(&p.image_interval);
    } else if (a == "--pipeline-offset") {
      err = duration(&p.pipeline_offset);
    } else if (a == "--start-jitter") {
      err = duration(&p.start_jitter);
    } else if (a == "--encrypted-share") {
      err = ratio(&p.encrypted_share);
    } else if (a == "--image-size-gib") {
      if (!(err = count(static_cast<uint64_t>(load::LoadLimits::kImageSizeGibMax)))) {
        p.image_size_gib = static_cast<int32_t>(n);
      }
    } else if (a == "--missing-role") {
      err = ratio(&p.misconfigured.missing_role);
    } else if (a == "--missing-kms-policy") {
      err = ratio(&p.misconfigured.missing_kms_policy);
    } else if (a == "--copy-limit") {
      if (!(err = count(1'000'000))) {
        p.copy_limit = static_cast<uint32_t>(n);
      }
    } else if (a == "--engine-cap") {
      if (!(err = count(10'000'000))) {
        p.engine.copies_in_flight_max = static_cast<uint32_t>(n);
      }
    } else if (a == "--per-distribution-cap") {
      if (!(err = count(1'000'000))) {
        p.engine.copies_per_distribution_max = static_cast<uint32_t>(n);
      }
    } else if (a == "--per-account-cap") {
      if (!(err = count(1'000'000))) {
        p.engine.copies_per_account_region_max = static_cast<uint32_t>(n);
      }
    } else if (a == "--cross-region-mibps") {
      if (!(err = count(8192))) {
        p.copy_time.cross_region_bytes_per_sec = n << 20;
      }
    } else if (a == "--seed") {
      if (!(err = count(UINT64_MAX / 10))) {
        p.seed = n;
      }
    } else if (a == "--virtual-time-max") {
      err = duration(&p.virtual_time_max);
    } else if (a == "--faults") {
      continue;  // Read with the profile (below).
    } else if (a == "--throttle" || a == "--server-errors" || a == "--timeouts"
               || a == "--kms-throttle") {
      faults::FaultRule rule;
      err = ratio(&rule.probability);
      if (a == "--throttle") {
        rule.name = "ec2-throttle";
        rule.match.service = faults::Service::kEc2;
        rule.kind = faults::FaultKind::kThrottle;
      } else if (a == "--server-errors") {
        rule.name = "5xx";
        rule.match.service = faults::Service::kAny;
        rule.kind = faults::FaultKind::kServerError;
      } else if (a == "--timeouts") {
        rule.name = "copy-timeouts";
        rule.match.service = faults::Service::kEc2;
        rule.match.operation = "CopyImage";
        rule.kind = faults::FaultKind::kTimeoutAfterSend;
      } else {
        rule.name = "kms-throttle";
        rule.match.service = faults::Service::kKms;
        rule.kind = faults::FaultKind::kThrottle;
      }
      if (!err) {
        add_rule(std::move(rule));
      }
    } else if (a == "--outage") {
      const std::vector<std::string> parts = split(v, ',');
      const std::optional<sim::Duration> t0 =
          parts.size() == 3 ? faults::parse_duration(parts[1]) : std::nullopt;
      const std::optional<sim::Duration> t1 =
          parts.size() == 3 ? faults::parse_duration(parts[2]) : std::nullopt;
      if (parts.size() != 3 || mock_aws::api::find_region(parts[0]) == nullptr || !t0 || !t1
          || *t1 <= *t0) {
        return "--outage takes REGION,START,END such as eu-west-1,1h,3h, not '" + v + "'";
      }
      p.faults.outages.push_back(
          {.name = "outage-" + parts[0],
           .region = mock_aws::api::Region::from_known(parts[0]),
           .window = {.start = sim::Instant::start() + *t0, .end = sim::Instant::start() + *t1}});
    } else if (a == "--disable-key") {
      const std::vector<std::string> parts = split(v, ',');
      const std::optional<sim::Duration> at =
          parts.size() == 2 ? faults::parse_duration(parts[1]) : std::nullopt;
      if (parts.size() != 2 || mock_aws::api::find_region(parts[0]) == nullptr || !at) {
        return "--disable-key takes REGION,TIME such as us-east-1,2h, not '" + v + "'";
      }
      p.faults.events.push_back({.at = sim::Instant::start() + *at,
                                 .kind = faults::WorldEventKind::kDisableKey,
                                 .account = load::owner_account(),
                                 .region = mock_aws::api::Region::from_known(parts[0]),
                                 .key = std::string(load::kKeyAlias)});
    } else if (a == "--delete-role") {
      const std::vector<std::string> parts = split(v, ',');
      const std::optional<sim::Duration> at =
          parts.size() == 2 ? faults::parse_duration(parts[1]) : std::nullopt;
      std::optional<mock_aws::api::AccountId> account;
      if (parts.size() == 2) {
        account = mock_aws::api::AccountId::is_valid(parts[0])
                      ? std::optional(mock_aws::api::AccountId::from_valid(parts[0]))
                      : load::account_alias(parts[0], p.accounts);
      }
      if (!account || !at) {
        return "--delete-role takes ACCOUNT,TIME such as target:7,3h (after --accounts), not '" + v
               + "'";
      }
      p.faults.events.push_back({.at = sim::Instant::start() + *at,
                                 .kind = faults::WorldEventKind::kDeleteRole,
                                 .account = *account,
                                 .role_name = "EC2ImageBuilderDistributionCrossAccountRole"});
    } else {
      return "unknown option " + a;
    }
    if (err) {
      return err;
    }
  }
  return std::nullopt;
}

std::optional<std::string> flag_value(std::span<const std::string> args, std::string_view flag) {
  for (std::size_t i = 0; i + 1 < args.size(); ++i) {
    if (args[i] == flag) {
      return args[i + 1];
    }
  }
  return std::nullopt;
}

}  // namespace

int run_load(std::span<const std::string> args) {
  Options o;
  FlagReader flags(args, o);
  if (std::optional<std::string> err = flags.scan()) {
    return usage_error(*err);
  }
  load::LoadProfile profile;
  if (o.profile_path.has_value()) {
    sim::Result<load::LoadProfile> read = load::read_profile_file(*o.profile_path);
    if (!read.ok()) {
      std::fprintf(stderr, "ibsim load: %s\n", read.error().message.c_str());
      return kExitUsage;
    }
    profile = std::move(read).value();
  }
  if (std::optional<std::string> err = flags.apply(profile)) {
    return usage_error(*err);
  }
  if (std::optional<std::string> path = flag_value(args, "--faults")) {
    // A fault file adds to the profile's plan (read after --accounts so target:N resolves).
    sim::Result<faults::FaultPlan> with_faults =
        load::read_fault_plan_file(*path, profile.accounts);
    if (!with_faults.ok()) {
      std::fprintf(stderr, "ibsim load: %s\n", with_faults.error().message.c_str());
      return kExitUsage;
    }
    const faults::FaultPlan& extra = *with_faults;
    profile.faults.rules.insert(profile.faults.rules.end(), extra.rules.begin(), extra.rules.end());
    profile.faults.outages.insert(
        profile.faults.outages.end(), extra.outages.begin(), extra.outages.end());
    profile.faults.events.insert(
        profile.faults.events.end(), extra.events.begin(), extra.events.end());
    profile.faults.kms_retry_delay = extra.kms_retry_delay;
    profile.faults.kms_attempts_max = extra.kms_attempts_max;
  }
  if (sim::Status s = load::validate(profile); !s.ok()) {
    std::fprintf(stderr, "ibsim load: %s\n", s.error().message.c_str());
    return kExitUsage;
  }

  ProgressLine progress(stderr, o.progress && isatty(STDERR_FILENO) == 1);
  sim::Result<load::LoadRun> run = load::run_load(profile,
                                                  {.trace_path = o.trace_path,
                                                   .trace_events_max = o.trace_events_max,
                                                   .on_progress = [&](const load::LoadProgress& p) {
                                                     progress.update(p);
                                                   }});
  progress.finish();
  if (!run.ok()) {
    std::fprintf(stderr, "ibsim load: %s\n", run.error().message.c_str());
    return kExitUsage;
  }
  const load::LoadReport& report = run->report;
  const std::string out =
      o.format == "json" ? load::render_json(report) : load::render_text(report);
  std::fwrite(out.data(), 1, out.size(), stdout);
  std::fflush(stdout);
  if (!o.chart_path.empty()) {
    const std::string chart = o.chart_path.ends_with(".svg") ? load::render_chart_svg(report)
                                                             : load::render_chart_html(report);
    if (!write_file(o.chart_path, chart)) {
      std::fprintf(stderr, "ibsim load: cannot write %s\n", o.chart_path.c_str());
      return kExitUsage;
    }
  }
  if (!o.trace_path.empty() && run->trace_truncated) {
    std::fprintf(stderr,
                 "ibsim load: the trace stopped after %llu events (--trace-events-max)\n",
                 static_cast<unsigned long long>(run->trace_events));
  }
  if (o.timing) {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    std::fprintf(stderr,
                 "ibsim load: %.3f s wall, peak RSS %.1f MiB, %llu events\n",
                 progress.elapsed_seconds(),
                 static_cast<double>(usage.ru_maxrss) / 1024.0,
                 static_cast<unsigned long long>(report.events));
  }
  return report.finished ? 0 : kExitBounded;
}

}  // namespace ibsim::cli

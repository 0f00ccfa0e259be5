#include "src/load/runner.h"

#include <algorithm>
#include <memory>
#include <optional>
#include <utility>

#include "mock_aws/services/world.h"
#include "sim/context.h"
#include "src/engine/distribution_engine.h"
#include "src/engine/engine_options.h"
#include "src/faults/fault_layer.h"
#include "src/load/chrome_trace.h"
#include "src/load/observer.h"
#include "src/load/workload.h"
#include "src/scenario/direct_clients.h"

namespace ibsim::load {
namespace {

namespace ib = mock_aws::api::imagebuilder;

sim::AwsError invalid(std::string message) {
  return sim::aws_error("InvalidInput", std::move(message));
}

engine::EngineOptions engine_options(const LoadProfile& p) {
  engine::EngineOptions o;
  o.copies_per_distribution_max = p.engine.copies_per_distribution_max;
  o.copies_per_account_region_max = p.engine.copies_per_account_region_max;
  o.copies_in_flight_max = p.engine.copies_in_flight_max;
  o.poll_interval = p.engine.poll_interval;
  o.poll_interval_max = p.engine.poll_interval_max;
  o.poll_adaptive = p.engine.poll_adaptive;
  o.retry_attempts_max = p.engine.retry_attempts_max;
  o.backoff_base = p.engine.backoff_base;
  o.backoff_max = p.engine.backoff_max;
  o.distribution_timeout_max = p.engine.distribution_timeout;
  // Every copy of the run may wait for a slot at once.
  o.copy_waiters_max = std::max<uint64_t>(o.copy_waiters_max, planned_copies(p, 1) * 64);
  o.runs_max = std::max<uint32_t>(o.runs_max, p.images);
  o.sessions_cached_max = std::max<uint32_t>(o.sessions_cached_max, p.accounts + 16);
  return o;
}

std::string window_text(const faults::TimeWindow& w) {
  return "[" + faults::format_duration(w.start.since_start()) + ", "
         + (w.end == sim::Instant::max() ? std::string("end")
                                         : faults::format_duration(w.end.since_start()))
         + ")";
}

std::string rule_description(const faults::FaultRule& rule) {
  std::string out(faults::to_string(rule.kind));
  if (rule.kind == faults::FaultKind::kDelay) {
    out += " " + faults::format_duration(rule.delay);
  }
  out += " " + std::string(faults::to_string(rule.match.service));
  out += " " + (rule.match.operation.empty() ? std::string("*") : rule.match.operation);
  if (rule.match.account.has_value()) {
    out += " account " + rule.match.account->str();
  }
  if (rule.match.region.has_value()) {
    out += " in " + rule.match.region->str();
  }
  out += " p=" + faults::format_ratio(rule.probability);
  if (rule.window.start != sim::Instant::start() || rule.window.end != sim::Instant::max()) {
    out += " " + window_text(rule.window);
  }
  return out;
}

std::string event_description(const faults::WorldEvent& e) {
  std::string out(faults::to_string(e.kind));
  out += " " + e.account.str();
  if (!e.key.empty()) {
    out += " " + e.region.str() + " " + e.key;
  }
  if (!e.role_name.empty()) {
    out += " role " + e.role_name;
  }
  if (!e.policy_arn.empty()) {
    out += " policy " + e.policy_arn;
  }
  if (!e.policy_name.empty()) {
    out += " policy " + e.policy_name;
  }
  return out;
}

double mean_of(uint64_t integral, int64_t span_ns) {
  return span_ns <= 0 ? 0.0 : static_cast<double>(integral) / static_cast<double>(span_ns);
}

}  // namespace

sim::Result<LoadRun> run_load(const LoadProfile& profile, const LoadRunOptions& options) {
  if (sim::Status s = validate(profile); !s.ok()) {
    return s.error();
  }
  sim::Result<std::vector<api::Region>> regions = resolve_regions(profile);
  if (!regions.ok()) {
    return regions.error();
  }
  const engine::EngineOptions engine_opts = engine_options(profile);
  if (sim::Status s = engine::validate(engine_opts); !s.ok()) {
    return invalid("engine: " + s.error().message);
  }
  mock_aws::services::World::Options world_opts = world_options(profile, *regions);
  if (sim::Status s = mock_aws::ec2::Ec2Model::validate(world_opts.ec2); !s.ok()) {
    return invalid("ec2: " + s.error().message);
  }

  sim::Context ctx({.seed = profile.seed,
                    .scheduler = {.max_events_per_run = profile.events_max},
                    .trace = {.record = false}});
  mock_aws::services::World world(ctx, std::move(world_opts));
  sim::Result<Workload> built = build_workload(world, profile, *regions);
  if (!built.ok()) {
    return built.error();
  }
  Workload& workload = *built;

  std::unique_ptr<ChromeTraceWriter> trace;
  if (!options.trace_path.empty()) {
    trace = std::make_unique<ChromeTraceWriter>(
        options.trace_path, ChromeTraceWriter::Options{.events_max = options.trace_events_max});
    if (!trace->ok()) {
      return invalid("--trace: cannot write " + options.trace_path);
    }
  }
  LoadObserver observer(workload, profile.copy_limit, trace.get());
  ctx.trace().set_observer(&observer);

  scenario::DirectClientFactory direct(world);
  std::optional<faults::FaultLayer> fault_layer;
  client::ClientFactory* clients = &direct;
  if (!profile.faults.empty()) {
    fault_layer.emplace(world, direct, profile.faults);
    clients = &fault_layer->clients();
  }
  engine::DistributionEngine engine(ctx, *clients, engine_opts);

  // ---- Hand each image's plan to the engine at its start time.
  const uint32_t total = static_cast<uint32_t>(workload.images.size());
  uint32_t done = 0;
  uint32_t ok = 0;
  std::optional<sim::Instant> first_start;
  sim::Instant last_end = sim::Instant::start();
  std::vector<std::string> notes;
  for (ImageRun& image : workload.images) {
    ctx.scheduler().schedule_at(image.start, [&, image_ptr = &image] {
      if (!first_start.has_value()) {
        first_start = ctx.now();
      }
      engine.distribute(image_ptr->plan, [&](ib::DistributionResult result) {
        ++done;
        if (result.ok) {
          ++ok;
        }
        last_end = std::max(last_end, ctx.now());
        for (std::string& note : result.notes) {
          if (std::find(notes.begin(), notes.end(), note) == notes.end() && notes.size() < 20) {
            notes.push_back(std::move(note));
          }
        }
      });
      // The engine keeps its own copy of the plan; ours is no longer needed.
      image_ptr->plan.regions.clear();
      image_ptr->plan.regions.shrink_to_fit();
    });
  }

  // ---- Run in slices, within the profile's bounds.
  const sim::Instant limit = sim::Instant::start() + profile.virtual_time_max;
  std::string stopped_because;
  const uint64_t planned = planned_copies(profile, regions->size());
  while (done < total) {
    if (ctx.now() >= limit) {
      stopped_because = "virtual time limit " + faults::format_duration(profile.virtual_time_max);
      break;
    }
    if (ctx.scheduler().events_run() >= profile.events_max) {
      stopped_because = "event limit " + std::to_string(profile.events_max);
      break;
    }
    if (!ctx.scheduler().next_event_time().has_value()) {
      stopped_because = "nothing left to run (an engine stall)";
      break;
    }
    const sim::Instant horizon = std::min(limit, ctx.now() + options.slice);
    ctx.scheduler().run_until(horizon);
    if (options.on_progress) {
      options.on_progress({.virtual_now = ctx.now().since_start(),
                           .copies_available = observer.ec2_copies_available(),
                           .copies_planned = planned,
                           .distributions_done = done,
                           .distributions = total,
                           .events = ctx.scheduler().events_run()});
    }
  }
  const bool finished = done == total;
  const sim::Instant end = finished ? last_end : ctx.now();
  observer.finish(end);
  ctx.trace().set_observer(nullptr);

  // ---- The report.
  LoadRun run;
  LoadReport& r = run.report;
  r.name = display_name(profile, regions->size());
  r.seed = profile.seed;
  r.accounts = profile.accounts;
  for (const api::Region& reg : *regions) {
    r.regions.push_back(reg.str());
  }
  r.images = profile.images;
  r.pipelines = profile.pipelines;
  r.encrypted_images = workload.encrypted_images;
  r.image_size_gib = profile.image_size_gib;
  r.accounts_missing_role = workload.accounts_missing_role;
  r.accounts_missing_kms_policy = workload.accounts_missing_kms_policy;
  r.copies_planned = planned;
  r.copy_limit = profile.copy_limit;
  r.engine_copies_per_distribution_max = engine_opts.copies_per_distribution_max;
  r.engine_copies_per_account_region_max = engine_opts.copies_per_account_region_max;
  r.engine_copies_in_flight_max = engine_opts.copies_in_flight_max;

  r.finished = finished;
  r.stopped_because = stopped_because;
  r.distributions_ok = ok;
  r.distributions_failed = done - ok;
  r.first_start = first_start.value_or(sim::Instant::start()).since_start();
  r.makespan = end - first_start.value_or(sim::Instant::start());
  r.copies_started = observer.ec2_copies_started();
  r.copies_available = observer.ec2_copies_available();
  r.copies_failed = observer.ec2_copies_failed();
  r.copy_stalls = observer.ec2_copy_stalls();
  r.copy_jobs_done = observer.copy_jobs_done();
  r.copy_jobs_failed = observer.copy_jobs_failed();
  r.jobs_failed_before_copy = observer.jobs_failed_before_copy();
  const uint64_t ended = r.copy_jobs_done + r.copy_jobs_failed + r.jobs_failed_before_copy;
  r.jobs_not_ended = planned > ended ? planned - ended : 0;
  const double hours = static_cast<double>(r.makespan.ns()) / 3.6e12;
  r.copies_per_hour = hours > 0.0 ? static_cast<double>(r.copies_available) / hours : 0.0;
  r.job_completion = summarize(observer.job_completions_ns());
  r.queue_wait = summarize(observer.queue_waits_ns());
  r.copy_duration = summarize(observer.copy_durations_ns());
  r.queued_peak = observer.queued_peak();
  r.in_flight_peak = observer.in_flight_peak();
  for (const auto& [code, n] : observer.retries_by_code()) {
    r.retries_by_cause[code] = n;
    r.retries += n;
  }
  for (const auto& [key, n] : observer.retries_by_step()) {
    r.retries_by_step[key] = n;
  }
  for (const auto& [key, n] : observer.failures_by_cause()) {
    r.failures_by_cause[key] = n;
  }

  const int64_t span_ns = end.ns() - r.first_start.ns();
  for (std::size_t i = 0; i < regions->size(); ++i) {
    const LoadObserver::RegionStats& s = observer.regions()[i];
    r.regions_detail.push_back({.region = (*regions)[i].str(),
                                .copies = s.copies,
                                .peak_in_flight = s.peak,
                                .mean_in_flight = mean_of(s.integral, span_ns),
                                .peak_per_account = s.peak_per_account});
  }
  const std::vector<LoadObserver::PairStats>& pairs = observer.pairs();
  std::vector<uint32_t> order;
  for (uint32_t i = 0; i < pairs.size(); ++i) {
    if (pairs[i].copies > 0) {
      order.push_back(i);
      if (pairs[i].peak >= profile.copy_limit) {
        ++r.pairs_at_cap;
      }
    }
  }
  r.pairs_total = order.size();
  auto pair_mean = [&](uint32_t i) {
    const LoadObserver::PairStats& p = pairs[i];
    const int64_t last = p.in_flight > 0 ? end.ns() : p.last_end_ns;
    return mean_of(p.integral, last - p.first_start_ns);
  };
  std::stable_sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
    if (pairs[a].peak != pairs[b].peak) {
      return pairs[a].peak > pairs[b].peak;
    }
    return pair_mean(a) > pair_mean(b);
  });
  const std::size_t n_regions = regions->size();
  for (std::size_t k = 0; k < order.size() && k < LoadReport::kPairsListedMax; ++k) {
    const uint32_t i = order[k];
    const std::size_t account = i / n_regions;
    r.pairs.push_back(
        {.account = account == 0 ? workload.owner.str() : workload.targets[account - 1].str(),
         .region = (*regions)[i % n_regions].str(),
         .copies = pairs[i].copies,
         .peak = pairs[i].peak,
         .mean = pair_mean(i)});
  }

  if (fault_layer.has_value()) {
    const faults::FaultInjector& inj = fault_layer->injector();
    for (std::size_t i = 0; i < inj.plan().rules.size(); ++i) {
      const faults::FaultRule& rule = inj.plan().rules[i];
      r.fault_rules.push_back({.name = rule.name,
                               .description = rule_description(rule),
                               .matched = inj.rule_counters()[i].matched,
                               .fired = inj.rule_counters()[i].fired});
    }
    for (std::size_t i = 0; i < inj.plan().outages.size(); ++i) {
      const faults::RegionOutage& o = inj.plan().outages[i];
      r.outages.push_back(
          {.name = o.name,
           .region = o.region.str(),
           .window = window_text(o.window) + " copies "
                     + (o.copies == faults::OutageCopies::kStall ? "stall" : "fail"),
           .start = o.window.start.since_start(),
           .end = o.window.end.since_start(),
           .calls_refused = inj.outage_counters()[i].calls_refused,
           .copy_steps_stalled = inj.outage_counters()[i].copies_stalled,
           .copies_failed = inj.outage_counters()[i].copies_failed});
    }
    for (const faults::WorldEventRunner::Outcome& o : fault_layer->world_events().outcomes()) {
      r.world_events.push_back(
          {.at = faults::format_duration(o.event.at.since_start()),
           .at_time = o.event.at.since_start(),
           .description = event_description(o.event),
           .outcome = o.status.ok() ? std::string("ok")
                                    : o.status.error().code + ": " + o.status.error().message});
    }
  }

  r.calls = engine.stats().calls;
  r.polls = engine.stats().polls;
  r.sessions_assumed = engine.stats().sessions_assumed;
  r.events = ctx.scheduler().events_run();
  r.trace_hash = ctx.trace().hash_hex();
  r.notes = std::move(notes);

  const Timeline& t = observer.timeline();
  const std::size_t buckets = t.bucket_count();
  auto slice_of = [&](std::size_t series) {
    const std::vector<int64_t>& v = t.values(series);
    return std::vector<int64_t>(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(buckets));
  };
  r.timeline.bucket_width = t.bucket_width();
  for (std::size_t i = 0; i < regions->size(); ++i) {
    r.timeline.region_in_flight.push_back(
        {.label = (*regions)[i].str(), .values = slice_of(observer.series_region_total(i))});
    r.timeline.region_busiest.push_back(
        {.label = (*regions)[i].str(), .values = slice_of(observer.series_region_busiest(i))});
  }
  r.timeline.completed = slice_of(observer.series_completed());
  r.timeline.failed = slice_of(observer.series_failed());
  r.timeline.queued = slice_of(observer.series_queued());
  r.timeline.in_flight = slice_of(observer.series_in_flight());

  if (trace != nullptr) {
    run.trace_written = trace->close();
    run.trace_truncated = trace->truncated();
    run.trace_events = trace->events_written();
    if (!run.trace_written) {
      return invalid("--trace: writing " + options.trace_path + " failed");
    }
  }
  return run;
}

}  // namespace ibsim::load

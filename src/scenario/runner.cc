#include "src/scenario/runner.h"

#include <algorithm>
#include <memory>
#include <set>
#include <utility>

#include <nlohmann/json.hpp>

#include "mock_aws/api/arn.h"
#include "mock_aws/ec2/ec2_model.h"
#include "mock_aws/services/world.h"
#include "sim/context.h"
#include "src/engine/distribution_engine.h"
#include "src/engine/engine_options.h"
#include "src/scenario/checkers.h"
#include "src/scenario/direct_clients.h"
#include "src/scenario/dispatch.h"
#include "src/scenario/explanations.h"
#include "src/scenario/world_services.h"

namespace ibsim::scenario {
namespace {

namespace api = mock_aws::api;
namespace ec2 = mock_aws::ec2;
namespace protocol = mock_aws::protocol;
using protocol::Document;

constexpr std::string_view kNewAmi = "new";

// A glob with `*` (any run) and `?` (one character), as AMI name filters use.
bool glob_match(std::string_view pattern, std::string_view text) {
  std::size_t p = 0;
  std::size_t t = 0;
  std::size_t star = std::string_view::npos;
  std::size_t mark = 0;
  while (t < text.size()) {
    if (p < pattern.size() && (pattern[p] == '?' || pattern[p] == text[t])) {
      ++p;
      ++t;
    } else if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      mark = t;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      t = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') {
    ++p;
  }
  return p == pattern.size();
}

bool is_terminal(std::string_view status) {
  return status == "AVAILABLE" || status == "FAILED" || status == "CANCELLED" || status == "DELETED"
         || status == "DEPRECATED" || status == "DISABLED";
}

std::string field(const sim::TraceEvent& e, std::string_view key) {
  for (const sim::TraceField& f : e.fields) {
    if (f.key == key) {
      if (const std::string* s = std::get_if<std::string>(&f.value)) {
        return *s;
      }
      return std::to_string(std::get<int64_t>(f.value));
    }
  }
  return {};
}

// Replaces every ${name} with its saved value ("$${" is a literal "${"). A string that is exactly
// one reference takes the saved JSON value itself (a number stays a number).
sim::Result<Document> substitute(const Document& node,
                                 const std::map<std::string, Document>& saved,
                                 const std::string& path) {
  if (node.is_string()) {
    const std::string& s = node.get_ref<const std::string&>();
    if (s.find('$') == std::string::npos) {
      return node;
    }
    const std::vector<std::string> refs = references_in(s);
    if (refs.size() == 1 && s == "${" + refs[0] + "}") {
      auto it = saved.find(refs[0]);
      if (it == saved.end()) {
        return input_error(path, "${" + refs[0] + "} has no value: the step that saves it has "
                                     "not run (or failed)");
      }
      return it->second;
    }
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
      if (s[i] == '$' && i + 1 < s.size() && s[i + 1] == '$') {
        out += '$';
        ++i;
      } else if (s[i] == '$' && i + 1 < s.size() && s[i + 1] == '{') {
        const std::size_t end = s.find('}', i + 2);
        const std::string name = s.substr(i + 2, end - i - 2);
        auto it = saved.find(name);
        if (it == saved.end()) {
          return input_error(path, "${" + name + "} has no value: the step that saves it has "
                                                 "not run (or failed)");
        }
        out += it->second.is_string() ? it->second.get<std::string>() : it->second.dump();
        i = end;
      } else {
        out += s[i];
      }
    }
    return Document(out);
  }
  if (node.is_object()) {
    Document out = Document::object();
    for (const auto& [key, value] : node.items()) {
      auto v = substitute(value, saved, join_path(path, key));
      if (!v.ok()) {
        return v.error();
      }
      out[key] = std::move(v).value();
    }
    return out;
  }
  if (node.is_array()) {
    Document out = Document::array();
    for (std::size_t i = 0; i < node.size(); ++i) {
      auto v = substitute(node[i], saved, index_path(path, i));
      if (!v.ok()) {
        return v.error();
      }
      out.push_back(std::move(v).value());
    }
    return out;
  }
  return node;
}

// "image.outputResources.amis[0].image" inside an output Document.
const Document* at_output_path(const Document& doc, std::string_view path) {
  const Document* cur = &doc;
  std::size_t i = 0;
  while (i < path.size() && cur != nullptr) {
    if (path[i] == '.') {
      ++i;
      continue;
    }
    if (path[i] == '[') {
      const std::size_t close = path.find(']', i);
      const std::size_t index = std::stoul(std::string(path.substr(i + 1, close - i - 1)));
      cur = cur->is_array() && index < cur->size() ? &(*cur)[index] : nullptr;
      i = close + 1;
      continue;
    }
    std::size_t j = i;
    while (j < path.size() && path[j] != '.' && path[j] != '[') {
      ++j;
    }
    const std::string key(path.substr(i, j - i));
    cur = cur->is_object() && cur->contains(key) ? &(*cur)[key] : nullptr;
    i = j;
  }
  return cur;
}

std::string principal_words(const PrincipalSpec& p) {
  return p.label.empty() ? p.arn : p.label;
}

class ScenarioRun {
 public:
  ScenarioRun(const Scenario& scenario, const RunOptions& options);
  ~ScenarioRun();

  RunResult run();
  sim::Status inspect_before(std::size_t stop, const WorldInspector& use);

 private:
  // Loads the world, wires the engine, readies the principals and the step records; false (the
  // result says why) when the scenario does not fit its world.
  bool prepare();
  // Schedules the timed calls among the steps before `end`.
  void schedule_calls(std::size_t end);
  void run_step(std::size_t index);
  mock_aws::services::World::Options world_options() const;
  engine::EngineOptions engine_options() const;
  void bad_input(const sim::AwsError& error);
  void record_baseline();

  void execute_call(std::size_t index);
  sim::Result<client::Identity> identity(const PrincipalSpec& p, int depth);
  bool settled() const;
  // Runs events until settled() or `limit` (absolute); true when settled.
  bool run_until_settled(sim::Instant limit);
  bool run_until(sim::Instant horizon);

  void evaluate();
  void evaluate_images();
  void evaluate_amis();
  void evaluate_launch_templates();
  void evaluate_parameters();
  void evaluate_peaks();
  void build_timeline();
  std::string resolve(const std::string& text, const std::string& path);
  bool is_new_ami(const api::Region& region, std::string_view id) const;
  std::vector<Explanation> job_explanations(const api::AccountId* account,
                                            const api::Region* region) const;

  void fail(Failure f) { result_.failures.push_back(std::move(f)); }

  Scenario scenario_;
  RunOptions options_;
  uint64_t seed_;
  sim::Context ctx_;
  std::unique_ptr<mock_aws::services::World> world_;
  std::unique_ptr<DirectClientFactory> clients_;
  std::unique_ptr<engine::DistributionEngine> engine_;
  std::unique_ptr<InProcessDispatcher> dispatcher_;
  RunResult result_;
  std::map<std::string, Document> saved_;
  std::vector<std::string> images_;  // Image Builder images the steps created.
  std::map<std::pair<api::Region, std::string>, std::set<std::string>> baseline_;
  std::set<std::pair<api::AccountId, api::Region>> direct_ec2_;
  std::size_t scheduled_pending_ = 0;
  uint64_t events_run_ = 0;
  bool event_limit_hit_ = false;
};

ScenarioRun::ScenarioRun(const Scenario& scenario, const RunOptions& options)
    : scenario_(scenario),
      options_(options),
      seed_(options.seed.value_or(scenario.seed)),
      ctx_({.seed = seed_,
            .trace = {.record = true, .max_recorded_events = RunLimits::kRecordedEventsMax}}) {
  result_.file = scenario.file;
  result_.group = scenario.group;
  result_.name = scenario.name;
  result_.description = scenario.description;
  result_.tags = scenario.tags;
  result_.seed = seed_;
  // A swarm run varies timing by its seed too; its replay line asks for the same.
  result_.replay = "ibsim run " + scenario.file + " --seed " + std::to_string(seed_)
                   + (options_.swarm ? " --swarm" : "");
}

ScenarioRun::~ScenarioRun() {
  if (world_ != nullptr) {
    world_->set_workflow(nullptr);
  }
  // The engine cancels its work before the world's models go (members are destroyed in reverse).
  dispatcher_.reset();
  engine_.reset();
  clients_.reset();
  world_.reset();
}

mock_aws::services::World::Options ScenarioRun::world_options() const {
  mock_aws::services::World::Options o;
  if (options_.swarm) {
    // Swarm mode: timing differs per seed beyond the usual per-seed draws.
    sim::Rng rng = sim::Rng(seed_).fork("scenario.swarm");
    constexpr int64_t kSigmaPermille[] = {100, 200, 400};
    o.ec2.copy_time.jitter_sigma =
        static_cast<double>(kSigmaPermille[rng.uniform_u64(0, 2)]) / 1000.0;
  }
  return o;
}

engine::EngineOptions ScenarioRun::engine_options() const {
  engine::EngineOptions o;
  const EngineSettings& s = scenario_.engine;
  if (s.copies_in_flight_max) {
    o.copies_in_flight_max = static_cast<uint32_t>(*s.copies_in_flight_max);
  }
  if (s.copies_per_account_region_max) {
    o.copies_per_account_region_max = static_cast<uint32_t>(*s.copies_per_account_region_max);
  }
  if (s.retry_attempts_max) {
    o.retry_attempts_max = static_cast<uint32_t>(*s.retry_attempts_max);
  }
  if (s.poll_interval) {
    o.poll_interval = *s.poll_interval;
    o.poll_interval_max = std::max(o.poll_interval_max, *s.poll_interval);
  }
  if (s.backoff_base) {
    o.backoff_base = *s.backoff_base;
  }
  if (s.backoff_max) {
    o.backoff_max = *s.backoff_max;
  }
  if (options_.swarm && !s.poll_interval) {
    sim::Rng rng = sim::Rng(seed_).fork("scenario.swarm.poll");
    constexpr int64_t kPollSeconds[] = {15, 30, 60};
    o.poll_interval = sim::Duration::seconds(kPollSeconds[rng.uniform_u64(0, 2)]);
  }
  return o;
}

void ScenarioRun::bad_input(const sim::AwsError& error) {
  result_.status = RunStatus::kBadInput;
  result_.bad_input = error.message;
}

void ScenarioRun::record_baseline() {
  for (const api::Region& region : world_->regions()) {
    world_->ec2().for_each_image(region, [&](const ec2::ImageRecord& image) {
      std::set<std::string> users;
      if (image.launch_permissions != nullptr) {
        for (const api::AccountId& a : image.launch_permissions->user_ids) {
          users.insert(a.str());
        }
        if (image.launch_permissions->is_public) {
          users.insert("all");
        }
      }
      baseline_.emplace(std::make_pair(region, image.id.str()), std::move(users));
    });
  }
}

bool ScenarioRun::prepare() {
  world_ = std::make_unique<mock_aws::services::World>(ctx_, world_options());
  if (auto s = full_world_loader().load(scenario_.world, scenario_.world_source, *world_);
      !s.ok()) {
    sim::AwsError e = s.error();
    e.message = scenario_.file + ": $.world: " + e.message;
    bad_input(e);
    return false;
  }
  if (auto s = check_against_world(scenario_, *world_); !s.ok()) {
    bad_input(s.error());
    return false;
  }
  const engine::EngineOptions eo = engine_options();
  if (auto s = engine::validate(eo); !s.ok()) {
    bad_input(input_error(scenario_.file + ": $.engine", s.error().message));
    return false;
  }
  clients_ = std::make_unique<DirectClientFactory>(*world_);
  engine_ = std::make_unique<engine::DistributionEngine>(ctx_, *clients_, eo);
  world_->set_workflow(engine_.get());
  dispatcher_ = std::make_unique<InProcessDispatcher>(*world_, *clients_);
  // Users act with their first access key; a user without one gets a generated key now.
  for (const Step& step : scenario_.steps) {
    for (const PrincipalSpec* p = step.kind == Step::Kind::kCall ? step.call.as.get() : nullptr;
         p != nullptr;
         p = p->via.get()) {
      if (p->kind != PrincipalSpec::Kind::kUser) {
        continue;
      }
      const mock_aws::iam::UserRecord* user = world_->iam().find_user_by_arn(p->arn);
      if (user != nullptr && user->access_key_ids.empty()) {
        auto key = world_->iam().seed_generated_access_key(p->account, user->name);
        if (!key.ok()) {
          bad_input(input_error(scenario_.file + ": " + p->path, key.error().message));
          return false;
        }
      }
    }
  }
  record_baseline();
  ctx_.emit("scenario.start", {{"name", scenario_.name}, {"seed", static_cast<int64_t>(seed_)}});

  result_.steps.resize(scenario_.steps.size());
  for (std::size_t i = 0; i < scenario_.steps.size(); ++i) {
    const Step& step = scenario_.steps[i];
    StepRecord& rec = result_.steps[i];
    rec.path = step.path;
    if (step.kind == Step::Kind::kCall) {
      rec.description = step.call.service_name + ":" + step.call.operation + " as "
                        + principal_words(*step.call.as) + " in " + step.call.region.str();
    } else if (step.kind == Step::Kind::kAdvance) {
      rec.description = "advance " + duration_text(step.duration);
    } else {
      rec.description = "run until settled (limit " + duration_text(step.duration) + ")";
    }
  }
  return true;
}

void ScenarioRun::schedule_calls(std::size_t end) {
  for (std::size_t i = 0; i < end; ++i) {
    const Step& step = scenario_.steps[i];
    if (step.kind == Step::Kind::kCall && step.at.has_value()) {
      ++scheduled_pending_;
      ctx_.scheduler().schedule_at(sim::Instant::start() + *step.at, [this, i] {
        --scheduled_pending_;
        execute_call(i);
      });
    }
  }
}

void ScenarioRun::run_step(std::size_t i) {
  const Step& step = scenario_.steps[i];
  switch (step.kind) {
    case Step::Kind::kCall:
      if (!step.at.has_value()) {
        execute_call(i);
      }
      break;
    case Step::Kind::kAdvance:
      result_.steps[i].at = ctx_.now().since_start();
      run_until(ctx_.now() + step.duration);
      result_.steps[i].ran = true;
      result_.steps[i].passed = true;
      result_.steps[i].outcome = "now " + duration_text(ctx_.now().since_start());
      break;
    case Step::Kind::kRunUntilSettled: {
      result_.steps[i].at = ctx_.now().since_start();
      const bool ok = run_until_settled(ctx_.now() + step.duration);
      result_.steps[i].ran = true;
      result_.steps[i].passed = ok;
      result_.steps[i].outcome =
          (ok ? "settled at " : "not settled at ") + duration_text(ctx_.now().since_start());
      if (!ok) {
        fail({.path = step.path,
              .what = "everything settled within " + duration_text(step.duration),
              .expected = "every image terminal, no distribution running, no copy pending",
              .actual = "still running at " + duration_text(ctx_.now().since_start()),
              .explanations = job_explanations(nullptr, nullptr)});
      }
      break;
    }
  }
}

sim::Status ScenarioRun::inspect_before(std::size_t stop, const WorldInspector& use) {
  if (stop >= scenario_.steps.size() || scenario_.steps[stop].kind != Step::Kind::kCall) {
    return input_error(scenario_.file + ": $.steps",
                       "step " + std::to_string(stop) + " is not a call step");
  }
  if (!prepare()) {
    return sim::aws_error("InvalidInput", result_.bad_input);
  }
  schedule_calls(stop);
  for (std::size_t i = 0; i < stop && !event_limit_hit_; ++i) {
    run_step(i);
  }
  const Step& step = scenario_.steps[stop];
  auto input = substitute(step.call.input, saved_, join_path(step.path, "input"));
  if (!input.ok()) {
    return input.error();
  }
  use(*world_, *input);
  return sim::ok_status();
}

RunResult ScenarioRun::run() {
  if (!prepare()) {
    return std::move(result_);
  }
  schedule_calls(scenario_.steps.size());
  for (std::size_t i = 0; i < scenario_.steps.size() && !event_limit_hit_; ++i) {
    run_step(i);
  }
  // The quiet phase: no more steps; everything must settle within the liveness bound.
  const sim::Instant quiet_limit =
      scenario_.expect.settled_by.has_value()
          ? std::max(ctx_.now(), sim::Instant::start() + *scenario_.expect.settled_by)
          : ctx_.now() + RunLimits::kQuietPhaseDefault;
  const bool settled_now = !event_limit_hit_ && run_until_settled(quiet_limit);
  if (settled_now) {
    result_.settled_at = ctx_.now().since_start();
  }
  if (event_limit_hit_) {
    fail({.path = "$",
          .what = "the run's event limit",
          .expected = "at most " + std::to_string(RunLimits::kEventsPerRunMax) + " events",
          .actual = "the limit was reached at " + duration_text(ctx_.now().since_start())});
  } else if (!settled_now) {
    const std::string bound =
        scenario_.expect.settled_by.has_value()
            ? duration_text(*scenario_.expect.settled_by)
            : duration_text(RunLimits::kQuietPhaseDefault) + " after the last step";
    fail({.path = scenario_.expect.settled_by.has_value() ? "$.expect.settledBy" : "$",
          .what = "liveness: everything settled by " + bound,
          .expected = "every image terminal, no distribution running, no copy pending",
          .actual = "still running at " + duration_text(ctx_.now().since_start()) + " ("
                    + std::to_string(engine_->runs_active()) + " distribution(s), "
                    + std::to_string(world_->ec2().copies_pending()) + " copies pending)"});
  }
  for (std::size_t i = 0; i < scenario_.steps.size(); ++i) {
    const Step& step = scenario_.steps[i];
    if (step.kind == Step::Kind::kCall && !result_.steps[i].ran) {
      fail(
          {.path = step.path,
           .what = "the step ran",
           .expected = step.at.has_value() ? "to run at " + duration_text(*step.at) : "to run",
           .actual = "the run ended at " + duration_text(ctx_.now().since_start()) + " before it"});
    }
  }
  evaluate();
  for (const std::string& arn : images_) {
    ImageOutcome image{.arn = arn};
    if (const auto found = world_->imagebuilder().find_image(arn);
        found.has_value() && found->state.has_value()) {
      image.status = found->state->status.value_or("");
      image.reason = found->state->reason.value_or("");
    }
    const auto* details = world_->imagebuilder().find_image_details(arn);
    if (details != nullptr && details->distribution.has_value()) {
      image.failures = details->distribution->failures;
    }
    result_.images.push_back(std::move(image));
  }
  ctx_.emit("scenario.end", {{"failures", static_cast<int64_t>(result_.failures.size())}});
  result_.ended_at = ctx_.now().since_start();
  result_.trace_hash = ctx_.trace().hash_hex();
  result_.trace_events = ctx_.trace().event_count();
  result_.copies_started = world_->ec2().copies_started();
  build_timeline();
  if (options_.keep_events) {
    result_.events = ctx_.trace().events();
  }
  if (result_.status != RunStatus::kBadInput) {
    result_.status = result_.failures.empty() ? RunStatus::kPass : RunStatus::kFail;
  }
  return std::move(result_);
}

sim::Result<client::Identity> ScenarioRun::identity(const PrincipalSpec& p, int depth) {
  switch (p.kind) {
    case PrincipalSpec::Kind::kRoot:
      // A 12-digit access key id is that account's root, as in LocalStack (docs/world-format.md).
      return client::Identity::from_credentials({.access_key_id = p.account.str()});
    case PrincipalSpec::Kind::kUser: {
      const mock_aws::iam::UserRecord* user = world_->iam().find_user_by_arn(p.arn);
      if (user == nullptr || user->access_key_ids.empty()) {
        // Deleted by a step: its keys went with it. AWS answers with the family's error.
        return client::Identity::from_credentials(
            {.access_key_id = "AKIADELETEDUSER00000", .secret_access_key = "-"});
      }
      const mock_aws::iam::AccessKeyRecord* key =
          world_->iam().find_access_key(user->access_key_ids.front());
      IBSIM_ASSERT(key != nullptr, "a user's access key ids name stored keys");
      return client::Identity::from_credentials(
          {.access_key_id = key->access_key_id, .secret_access_key = key->secret_access_key});
    }
    case PrincipalSpec::Kind::kAssumedRole: {
      IBSIM_ASSERT(depth <= ScenarioLimits::kRoleChainMax, "the loader bounds role chains");
      auto via = identity(*p.via, depth + 1);
      if (!via.ok()) {
        return via.error();
      }
      Document input = {{"RoleArn", p.arn}, {"RoleSessionName", p.session_name}};
      auto out = dispatcher_->call({.service = protocol::ServiceId::kSts,
                                    .operation = "AssumeRole",
                                    .identity = *via,
                                    .region = api::Region::from_known("us-east-1"),
                                    .input = std::move(input)});
      if (!out.ok()) {
        return out.error();
      }
      const Document& c = (*out)["Credentials"];
      return client::Identity::from_credentials(
          {.access_key_id = c.value("AccessKeyId", ""),
           .secret_access_key = c.value("SecretAccessKey", ""),
           .session_token = c.value("SessionToken", "")});
    }
  }
  return client::Identity();
}

void ScenarioRun::execute_call(std::size_t index) {
  const Step& step = scenario_.steps[index];
  const CallStep& c = step.call;
  StepRecord& rec = result_.steps[index];
  rec.ran = true;
  rec.at = ctx_.now().since_start();
  auto input = substitute(c.input, saved_, join_path(step.path, "input"));
  sim::Result<Document> out = sim::AwsError{};
  if (!input.ok()) {
    out = input.error();
  } else {
    auto who = identity(*c.as, 0);
    if (!who.ok()) {
      out = who.error();
    } else {
      out = dispatcher_->call({.service = c.service,
                               .operation = c.operation,
                               .identity = *who,
                               .region = c.region,
                               .input = std::move(input).value()});
    }
  }
  const OutcomeExpectation& x = c.expect;
  const std::string expected =
      x.kind == OutcomeExpectation::Kind::kOk
          ? "ok"
          : (x.kind == OutcomeExpectation::Kind::kAnyError ? "an error" : "error " + x.code);
  if (out.ok()) {
    rec.outcome = "ok";
    if (c.service == protocol::ServiceId::kEc2) {
      direct_ec2_.emplace(c.as->account, c.region);
    }
    if (out->is_object() && out->contains("imageBuildVersionArn")
        && (*out)["imageBuildVersionArn"].is_string()) {
      const std::string arn = (*out)["imageBuildVersionArn"].get<std::string>();
      if (std::find(images_.begin(), images_.end(), arn) == images_.end()) {
        images_.push_back(arn);
      }
    }
    for (const auto& [name, path] : c.save) {
      const Document* v = at_output_path(*out, path);
      if (v == nullptr) {
        fail({.path = join_path(join_path(step.path, "save"), name),
              .what = "the output member to save",
              .expected = "a member " + path + " in the output of " + c.operation,
              .actual = "the output has none: " + out->dump().substr(0, 300)});
        continue;
      }
      saved_[name] = *v;
    }
  } else {
    rec.outcome = out.error().code + ": " + out.error().message;
  }
  ctx_.emit("scenario.step",
            {{"step", static_cast<int64_t>(index)},
             {"call", c.service_name + ":" + c.operation},
             {"region", c.region.str()},
             {"outcome", out.ok() ? std::string("ok") : out.error().code}});
  bool passed = true;
  std::string mismatch;
  if (x.kind == OutcomeExpectation::Kind::kOk) {
    passed = out.ok();
  } else if (out.ok()) {
    passed = false;
  } else {
    if (x.kind == OutcomeExpectation::Kind::kError && out.error().code != x.code) {
      passed = false;
    }
    for (const std::string& text : x.message_contains) {
      const std::string needle = resolve(text, x.path);
      if (out.error().message.find(needle) == std::string::npos) {
        passed = false;
        mismatch = "the message does not contain \"" + needle + "\"";
      }
    }
  }
  rec.passed = passed;
  if (passed) {
    return;
  }
  Failure f;
  f.path = x.path;
  f.what = "the answer to " + rec.description;
  f.expected = expected;
  for (const std::string& text : x.message_contains) {
    f.expected += " with a message containing \"" + text + "\"";
  }
  if (out.ok()) {
    f.actual = "ok";
  } else {
    f.actual = out.error().code + (mismatch.empty() ? "" : " (" + mismatch + ")");
    f.aws_error = out.error().code + ": " + out.error().message;
    if (!out.error().explanation.empty()) {
      f.explanations.push_back(explanation_from_error(out.error(), rec.description));
    }
  }
  fail(std::move(f));
}

bool ScenarioRun::settled() const {
  if (engine_->runs_active() != 0 || world_->ec2().copies_pending() != 0
      || scheduled_pending_ != 0) {
    return false;
  }
  for (const std::string& arn : images_) {
    const auto image = world_->imagebuilder().find_image(arn);
    if (image.has_value() && image->state.has_value()
        && !is_terminal(image->state->status.value_or(""))) {
      return false;
    }
  }
  return true;
}

bool ScenarioRun::run_until_settled(sim::Instant limit) {
  sim::Scheduler& sched = ctx_.scheduler();
  while (!settled()) {
    const std::optional<sim::Instant> next = sched.next_event_time();
    if (!next.has_value()) {
      return settled();
    }
    if (*next > limit) {
      run_until(limit);
      return false;
    }
    if (events_run_ >= RunLimits::kEventsPerRunMax) {
      event_limit_hit_ = true;
      return false;
    }
    sched.step();
    ++events_run_;
  }
  return true;
}

bool ScenarioRun::run_until(sim::Instant horizon) {
  sim::Scheduler& sched = ctx_.scheduler();
  while (true) {
    const std::optional<sim::Instant> next = sched.next_event_time();
    if (!next.has_value() || *next > horizon) {
      break;
    }
    if (events_run_ >= RunLimits::kEventsPerRunMax) {
      event_limit_hit_ = true;
      return false;
    }
    sched.step();
    ++events_run_;
  }
  if (horizon > ctx_.now()) {
    sched.run_until(horizon);  // Nothing is due before it: this only moves the clock.
  }
  return true;
}

std::string ScenarioRun::resolve(const std::string& text, const std::string& path) {
  if (text.find('$') == std::string::npos) {
    return text;
  }
  auto v = substitute(Document(text), saved_, path);
  if (!v.ok()) {
    return text;  // The failure shows the unresolved text.
  }
  return v->is_string() ? v->get<std::string>() : v->dump();
}

bool ScenarioRun::is_new_ami(const api::Region& region, std::string_view id) const {
  return !baseline_.contains(std::make_pair(region, std::string(id)))
         && world_->ec2().find_image(region, id) != nullptr;
}

std::vector<Explanation> ScenarioRun::job_explanations(const api::AccountId* account,
                                                       const api::Region* region) const {
  std::vector<Explanation> out;
  for (const std::string& arn : images_) {
    const auto* details = world_->imagebuilder().find_image_details(arn);
    if (details == nullptr) {
      continue;
    }
    if (details->build.has_value() && !details->build->ok) {
      out.push_back(explanation_from_build(*details->build, arn));
    }
    if (!details->distribution.has_value()) {
      continue;
    }
    for (const auto& job : details->distribution->failures) {
      if ((account != nullptr && job.account_id != *account)
          || (region != nullptr && job.region != *region)) {
        continue;
      }
      out.push_back(explanation_from_job(job));
    }
  }
  return out;
}

void ScenarioRun::evaluate() {
  if (result_.status == RunStatus::kBadInput) {
    return;
  }
  evaluate_images();
  evaluate_amis();
  evaluate_launch_templates();
  evaluate_parameters();
  evaluate_peaks();
  const Expectations& x = scenario_.expect;
  if (x.retries_at_least.has_value()
      && engine_->stats().retries < static_cast<uint64_t>(*x.retries_at_least)) {
    fail({.path = "$.expect.retriesAtLeast",
          .what = "retries by the engine",
          .expected = "at least " + std::to_string(*x.retries_at_least),
          .actual = std::to_string(engine_->stats().retries)});
  }
  // The checkers.
  const std::vector<sim::TraceEvent>& events = ctx_.trace().events();
  CheckerInput in{.world = *world_,
                  .engine = *engine_,
                  .events = events,
                  .events_complete = !ctx_.trace().truncated(),
                  .baseline = baseline_,
                  .images = images_,
                  .direct_ec2 = direct_ec2_};
  for (const Checker& checker : checkers()) {
    for (Failure& f : checker.check(in)) {
      fail(std::move(f));
    }
  }
  for (const std::string& arn : images_) {
    if (const auto* details = world_->imagebuilder().find_image_details(arn)) {
      for (const std::string& note : details->notes) {
        if (std::find(result_.notes.begin(), result_.notes.end(), note) == result_.notes.end()) {
          result_.notes.push_back(note);
        }
      }
    }
  }
  for (const api::Region& region : world_->regions()) {
    world_->ec2().for_each_image(region, [&](const ec2::ImageRecord& image) {
      if (!baseline_.contains(std::make_pair(region, image.id.str()))) {
        ++result_.amis_created;
      }
    });
  }
}

void ScenarioRun::evaluate_images() {
  for (const ImageExpectation& x : scenario_.expect.images) {
    const std::string arn = resolve(x.image, x.path);
    const auto image = world_->imagebuilder().find_image(arn);
    const auto* details = world_->imagebuilder().find_image_details(arn);
    if (!image.has_value()) {
      fail({.path = join_path(x.path, "image"),
            .what = "the image " + arn,
            .expected = "an image of this run",
            .actual = "no such image (did the step that creates it fail?)"});
      continue;
    }
    const std::string status = image->state ? image->state->status.value_or("") : "";
    std::string reason = image->state ? image->state->reason.value_or("") : "";
    if (details != nullptr && details->distribution.has_value()
        && !details->distribution->reason.empty()) {
      reason = details->distribution->reason;  // In full: the API view is cut at 1024.
    } else if (details != nullptr && details->build.has_value()
               && !details->build->reason.empty()) {
      reason = details->build->reason;
    }
    std::vector<Explanation> why;
    if (details != nullptr) {
      if (details->build.has_value() && !details->build->ok) {
        why.push_back(explanation_from_build(*details->build, arn));
      }
      if (details->distribution.has_value()) {
        for (const auto& job : details->distribution->failures) {
          why.push_back(explanation_from_job(job));
        }
      }
    }
    if (x.status.has_value() && status != *x.status) {
      fail({.path = join_path(x.path, "status"),
            .what = "status of image " + arn,
            .expected = *x.status,
            .actual = status,
            .aws_error = reason,
            .explanations = why});
    }
    for (const std::string& text : x.reason_contains) {
      const std::string needle = resolve(text, x.path);
      if (reason.find(needle) == std::string::npos) {
        fail({.path = join_path(x.path, "reasonContains"),
              .what = "the reason of image " + arn,
              .expected = "contains \"" + needle + "\"",
              .actual = reason.empty() ? "no reason (status " + status + ")" : reason,
              .explanations = why});
      }
    }
    for (const std::string& text : x.reason_not_contains) {
      const std::string needle = resolve(text, x.path);
      if (reason.find(needle) != std::string::npos) {
        fail({.path = join_path(x.path, "reasonNotContains"),
              .what = "the reason of image " + arn,
              .expected = "does not contain \"" + needle + "\"",
              .actual = reason,
              .explanations = why});
      }
    }
    if (x.output_amis.has_value()) {
      const int64_t n = image->output_resources.has_value()
                            ? static_cast<int64_t>(image->output_resources->amis.size())
                            : 0;
      if (n != *x.output_amis) {
        fail({.path = join_path(x.path, "outputAmis"),
              .what = "outputResources.amis of image " + arn,
              .expected = std::to_string(*x.output_amis),
              .actual = std::to_string(n),
              .explanations = why});
      }
    }
  }
}

void ScenarioRun::evaluate_amis() {
  for (const AmiExpectation& x : scenario_.expect.amis) {
    const std::string where = x.account.str() + " in " + x.region.str();
    const std::optional<std::string> id =
        x.image.has_value() ? std::optional<std::string>(resolve(*x.image, x.path)) : std::nullopt;
    std::vector<const ec2::ImageRecord*> found;
    std::string listing;
    std::string others;  // New AMIs there that the filters leave out, to help the reader.
    world_->ec2().for_each_image(x.region, [&](const ec2::ImageRecord& image) {
      if (image.owner != x.account || baseline_.contains({x.region, image.id.str()})) {
        return;
      }
      const std::string text =
          image.id.str() + " \"" + image.name + "\" " + std::string(ec2::to_string(image.state));
      if ((id.has_value() && image.id.str() != *id)
          || (x.name_pattern.has_value() && !glob_match(*x.name_pattern, image.name))) {
        others += (others.empty() ? "" : ", ") + text;
        return;
      }
      found.push_back(&image);
      listing += (listing.empty() ? "" : ", ") + text;
    });
    if (!others.empty()) {
      listing += std::string(listing.empty() ? "" : "; ") + "not matching the filters: " + others;
    }
    const std::vector<Explanation> why = job_explanations(&x.account, &x.region);
    const std::string filter =
        std::string(x.name_pattern ? " named like \"" + *x.name_pattern + "\"" : "")
        + (id ? " with id " + *id : "");
    if (x.count.has_value() && static_cast<int64_t>(found.size()) != *x.count) {
      fail({.path = join_path(x.path, *x.count == 0 && found.size() > 0 ? "none" : "count"),
            .what = "AMIs made during the run owned by " + where + filter,
            .expected = *x.count == 0 ? "none" : std::to_string(*x.count),
            .actual = std::to_string(found.size()) + (listing.empty() ? "" : ": " + listing),
            .explanations = why});
      continue;
    }
    if (!x.count.has_value() && found.empty()) {
      fail({.path = x.path,
            .what = "AMIs made during the run owned by " + where + filter,
            .expected = "at least one",
            .actual = "none",
            .explanations = why});
      continue;
    }
    std::string key_arn = x.kms_key_arn;
    if (x.kms_key.has_value() && key_arn.empty()) {
      key_arn = *x.kms_key == "alias/aws/ebs"
                    ? world_->kms().aws_managed_ebs_key(x.account, x.region)
                    : resolve(*x.kms_key, x.path);
    }
    for (const ec2::ImageRecord* image : found) {
      const std::string label = "AMI " + image->id.str() + " of " + where;
      if (x.state.has_value() && std::string(ec2::to_string(image->state)) != *x.state) {
        fail({.path = join_path(x.path, "state"),
              .what = "state of " + label,
              .expected = *x.state,
              .actual =
                  std::string(ec2::to_string(image->state))
                  + (image->failure ? " (" + image->failure->state_reason.message.value_or("") + ")"
                                    : ""),
              .aws_error = image->failure
                               ? image->failure->cause.code + ": " + image->failure->cause.message
                               : "",
              .explanations = why});
      }
      bool encrypted = false;
      std::string keys;
      for (const ec2::ImageBlockDevice& bd : image->block_devices) {
        encrypted = encrypted || bd.encrypted;
        const ec2::SnapshotRecord* snap =
            world_->ec2().find_snapshot(x.region, bd.snapshot_id.view());
        if (snap != nullptr && snap->encrypted) {
          if (!key_arn.empty() && snap->kms_key_arn() != key_arn) {
            fail({.path = join_path(x.path, "kmsKey"),
                  .what = "KMS key of snapshot " + snap->id.str() + " of " + label,
                  .expected = key_arn,
                  .actual = snap->kms_key_arn()});
          }
        }
      }
      if (x.encrypted.has_value() && encrypted != *x.encrypted) {
        fail({.path = join_path(x.path, "encrypted"),
              .what = "encryption of " + label,
              .expected = *x.encrypted ? "encrypted" : "unencrypted",
              .actual = encrypted ? "encrypted" : "unencrypted"});
      }
      if (!key_arn.empty() && !encrypted) {
        fail({.path = join_path(x.path, "kmsKey"),
              .what = "KMS key of " + label,
              .expected = key_arn,
              .actual = "unencrypted"});
      }
    }
  }
}

void ScenarioRun::evaluate_launch_templates() {
  for (const LaunchTemplateExpectation& x : scenario_.expect.launch_templates) {
    const std::string id = resolve(x.launch_template, x.path);
    const ec2::LaunchTemplateRecord* lt =
        world_->ec2().find_launch_template(x.account, x.region, id);
    const std::string label =
        "launch template " + id + " of " + x.account.str() + " in " + x.region.str();
    const std::vector<Explanation> why = job_explanations(&x.account, &x.region);
    if (lt == nullptr) {
      fail({.path = join_path(x.path, "launchTemplate"),
            .what = label,
            .expected = "to exist",
            .actual = "it does not (deleted by a step?)"});
      continue;
    }
    if (x.default_version.has_value() && lt->default_version != *x.default_version) {
      fail({.path = join_path(x.path, "defaultVersion"),
            .what = "default version of " + label,
            .expected = std::to_string(*x.default_version),
            .actual = std::to_string(lt->default_version),
            .explanations = why});
    }
    if (x.latest_version.has_value() && lt->latest_version != *x.latest_version) {
      fail({.path = join_path(x.path, "latestVersion"),
            .what = "latest version of " + label,
            .expected = std::to_string(*x.latest_version),
            .actual = std::to_string(lt->latest_version),
            .explanations = why});
    }
    for (auto [key, version, want] :
         {std::tuple{"defaultImage", lt->default_version, &x.default_image},
          std::tuple{"latestImage", lt->latest_version, &x.latest_image}}) {
      if (!want->has_value()) {
        continue;
      }
      auto it = lt->versions.find(version);
      const std::string image = it != lt->versions.end() && it->second.data.image_id.has_value()
                                    ? *it->second.data.image_id
                                    : std::string();
      const bool ok =
          **want == kNewAmi ? is_new_ami(x.region, image) : image == resolve(**want, x.path);
      if (!ok) {
        fail({.path = join_path(x.path, key),
              .what = "ImageId of version " + std::to_string(version) + " of " + label,
              .expected = **want == kNewAmi ? "an AMI made during this run in " + x.region.str()
                                            : resolve(**want, x.path),
              .actual = image.empty() ? "no ImageId" : image,
              .explanations = why});
      }
    }
  }
}

void ScenarioRun::evaluate_parameters() {
  for (const SsmParameterExpectation& x : scenario_.expect.ssm_parameters) {
    const auto p = world_->ssm().find_parameter(x.account, x.region, x.name);
    const std::string label =
        "SSM parameter " + x.name + " of " + x.account.str() + " in " + x.region.str();
    const std::vector<Explanation> why = job_explanations(&x.account, &x.region);
    if (x.absent) {
      if (p.has_value()) {
        fail({.path = join_path(x.path, "absent"),
              .what = label,
              .expected = "absent",
              .actual = "value " + p->value.value_or("")});
      }
      continue;
    }
    if (!p.has_value()) {
      fail({.path = x.path,
            .what = label,
            .expected = "value " + *x.value,
            .actual = "no such parameter",
            .explanations = why});
      continue;
    }
    const std::string value = p->value.value_or("");
    const bool ok =
        *x.value == kNewAmi ? is_new_ami(x.region, value) : value == resolve(*x.value, x.path);
    if (!ok) {
      fail({.path = join_path(x.path, "value"),
            .what = label,
            .expected = *x.value == kNewAmi ? "an AMI made during this run in " + x.region.str()
                                            : resolve(*x.value, x.path),
            .actual = value,
            .explanations = why});
    }
  }
}

void ScenarioRun::evaluate_peaks() {
  const auto peaks = world_->ec2().copy_peaks();
  for (const PeakCopiesExpectation& x : scenario_.expect.peak_copies) {
    uint32_t highest = 0;
    std::string highest_where = "nowhere (no copies)";
    for (const auto& [key, peak] : peaks) {
      if ((x.account.has_value() && key.first != *x.account)
          || (x.region.has_value() && key.second != *x.region)) {
        continue;
      }
      if (peak > highest || highest_where.starts_with("nowhere")) {
        highest = peak;
        highest_where = key.first.str() + " in " + key.second.str();
      }
    }
    const std::string scope =
        (x.account ? "account " + x.account->str() : std::string("every account")) + ", "
        + (x.region ? "region " + x.region->str() : std::string("every region"));
    if (x.at_most.has_value() && highest > *x.at_most) {
      fail({.path = join_path(x.path, "atMost"),
            .what = "peak concurrent copies per (account, region), " + scope,
            .expected = "at most " + std::to_string(*x.at_most),
            .actual = std::to_string(highest) + " (" + highest_where + ")"});
    }
    if (x.at_least.has_value() && highest < *x.at_least) {
      fail({.path = join_path(x.path, "atLeast"),
            .what = "peak concurrent copies per (account, region), " + scope,
            .expected = "at least " + std::to_string(*x.at_least),
            .actual = std::to_string(highest) + " (" + highest_where + ")"});
    }
  }
  if (const auto& x = scenario_.expect.peak_copies_in_flight) {
    const uint32_t peak = engine_->stats().copies_in_flight_peak;
    if (x->at_most.has_value() && peak > *x->at_most) {
      fail({.path = join_path(x->path, "atMost"),
            .what = "peak copies in flight across the engine",
            .expected = "at most " + std::to_string(*x->at_most),
            .actual = std::to_string(peak)});
    }
    if (x->at_least.has_value() && peak < *x->at_least) {
      fail({.path = join_path(x->path, "atLeast"),
            .what = "peak copies in flight across the engine",
            .expected = "at least " + std::to_string(*x->at_least),
            .actual = std::to_string(peak)});
    }
  }
}

void ScenarioRun::build_timeline() {
  struct CopyStats {
    uint64_t started = 0;
    uint64_t available = 0;
    uint64_t failed = 0;
    sim::Duration first;
    sim::Duration last;
  };

  std::map<std::string, CopyStats> copies;  // By region.
  std::map<std::string, uint64_t> retries;  // By "Step code".
  std::vector<TimelineEntry> lines;
  const std::size_t kDenialsMax = 10;
  std::size_t denials = 0;
  for (const sim::TraceEvent& e : ctx_.trace().events()) {
    const sim::Duration at = e.at.since_start();
    if (e.kind == "scenario.step") {
      const std::size_t i = static_cast<std::size_t>(std::stoll(field(e, "step")));
      const StepRecord& rec = result_.steps[i];
      lines.push_back({at,
                       rec.description + " -> " + rec.outcome.substr(0, 160)
                           + (rec.passed ? "" : "  [unexpected]")});
    } else if (e.kind == "imagebuilder.image.status") {
      const std::string arn = field(e, "arn");
      lines.push_back(
          {at, "image " + arn.substr(arn.rfind(":image/") + 7) + " " + field(e, "status")});
    } else if (e.kind == "engine.copy.start") {
      CopyStats& c = copies[field(e, "region")];
      if (c.started++ == 0) {
        c.first = at;
      }
    } else if (e.kind == "engine.copy.done") {
      CopyStats& c = copies[field(e, "region")];
      (field(e, "state") == "available" ? c.available : c.failed)++;
      c.last = at;
    } else if (e.kind == "engine.step.retry") {
      ++retries[field(e, "step") + " " + field(e, "code")];
    } else if (e.kind == "engine.step.denied" || e.kind == "engine.step.failed") {
      if (++denials <= kDenialsMax) {
        lines.push_back({at,
                         (e.kind == "engine.step.denied" ? "denied: " : "failed: ")
                             + field(e, "step") + " in " + field(e, "account") + " "
                             + field(e, "region") + " (" + field(e, "code") + ")"});
      }
    }
  }
  for (const auto& [region, c] : copies) {
    lines.push_back({c.first,
                     "copies to " + region + ": " + std::to_string(c.started) + " started, "
                         + std::to_string(c.available) + " available, " + std::to_string(c.failed)
                         + " failed (until " + duration_text(c.last) + ")"});
  }
  for (const auto& [what, n] : retries) {
    lines.push_back({result_.ended_at, "retries: " + what + " x" + std::to_string(n)});
  }
  if (denials > kDenialsMax) {
    lines.push_back(
        {result_.ended_at, "... and " + std::to_string(denials - kDenialsMax) + " more denials"});
  }
  std::stable_sort(lines.begin(), lines.end(), [](const TimelineEntry& a, const TimelineEntry& b) {
    return a.at < b.at;
  });
  if (lines.size() > RunLimits::kTimelineLinesMax) {
    const std::size_t dropped = lines.size() - RunLimits::kTimelineLinesMax + 1;
    lines.resize(RunLimits::kTimelineLinesMax - 1);
    lines.push_back({lines.back().at, "... " + std::to_string(dropped) + " more lines"});
  }
  result_.timeline = std::move(lines);
}

}  // namespace

std::string_view to_string(RunStatus status) {
  switch (status) {
    case RunStatus::kPass:
      return "pass";
    case RunStatus::kFail:
      return "fail";
    case RunStatus::kBadInput:
      return "bad input";
  }
  return "unknown";
}

RunResult run_scenario(const Scenario& scenario, const RunOptions& options) {
  ScenarioRun run(scenario, options);
  return run.run();
}

RunResult run_scenario_file(const std::string& path, const RunOptions& options) {
  sim::Result<Scenario> s = load_scenario_file(path);
  if (!s.ok()) {
    RunResult r;
    r.file = path;
    r.name = path;
    r.seed = options.seed.value_or(0);
    r.status = RunStatus::kBadInput;
    r.bad_input = s.error().message;
    return r;
  }
  return run_scenario(*s, options);
}

sim::Status inspect_before_step(const Scenario& scenario,
                                std::size_t stop,
                                const RunOptions& options,
                                const WorldInspector& use) {
  return ScenarioRun(scenario, options).inspect_before(stop, use);
}

std::vector<uint64_t> swarm_seeds(const Scenario& scenario, uint64_t count) {
  std::vector<uint64_t> out = {scenario.seed};
  for (uint64_t s : scenario.regression_seeds) {
    if (std::find(out.begin(), out.end(), s) == out.end()) {
      out.push_back(s);
    }
  }
  sim::Rng rng = sim::Rng(scenario.seed).fork("scenario.swarm.seeds");
  constexpr uint64_t kDrawsMax = 1'000'000;
  for (uint64_t draws = 0; out.size() < count && draws < kDrawsMax; ++draws) {
    const uint64_t s = rng.next_u64() >> 16;  // Short enough to type in a replay line.
    if (std::find(out.begin(), out.end(), s) == out.end()) {
      out.push_back(s);
    }
  }
  return out;
}

}  // namespace ibsim::scenario

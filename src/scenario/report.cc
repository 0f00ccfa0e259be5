#include "src/scenario/report.h"

#include <algorithm>
#include <map>
#include <set>

#include <nlohmann/json.hpp>

namespace ibsim::scenario {
namespace {

using Json = nlohmann::json;

std::string label(const RunResult& r) {
  return r.group.empty() ? r.name : r.group + "/" + r.name;
}

std::string pad(std::string s, std::size_t width) {
  if (s.size() < width) {
    s.append(width - s.size(), ' ');
  }
  return s;
}

std::string seconds(int64_t ms) {
  const int64_t whole = ms / 1000;
  const int64_t frac = (ms % 1000) / 10;
  return std::to_string(whole) + "." + (frac < 10 ? "0" : "") + std::to_string(frac) + "s";
}

// EC2's encoded authorization messages are long opaque blobs: the text report names them
// instead of printing them (the JSON report keeps them whole).
std::string elide_blobs(std::string text) {
  constexpr std::string_view kMarker = "Encoded authorization failure message: ";
  constexpr std::size_t kShownMax = 120;
  for (std::size_t at = text.find(kMarker); at != std::string::npos;
       at = text.find(kMarker, at + 1)) {
    const std::size_t begin = at + kMarker.size();
    std::size_t end = begin;
    while (end < text.size() && text[end] != '\'' && text[end] != ' ' && text[end] != '\n') {
      ++end;
    }
    if (end - begin > kShownMax) {
      text.replace(begin,
                   end - begin,
                   "<" + std::to_string(end - begin)
                       + " characters; sts:DecodeAuthorizationMessage decodes it>");
    }
  }
  return text;
}

void append_explanation(std::string& out,
                        const Explanation& e,
                        const std::string& indent,
                        const std::string& shown) {
  out += indent + "- " + e.title + "\n";
  const std::string more = indent + "    ";
  if (!e.aws_message.empty() && shown.find(e.aws_message) == std::string::npos) {
    out += more + "AWS says: " + elide_blobs(e.aws_message) + "\n";
  }
  if (!e.cause.empty()
      && e.aws_message.find(e.cause.substr(e.cause.find(": ") + 2)) == std::string::npos) {
    out += more + "cause:    " + elide_blobs(e.cause) + "\n";
  }
  if (!e.why.empty()) {
    out += more + "why:      " + e.why + "\n";
  }
  for (const std::string& fix : e.fixes) {
    out += more + "fix:      " + fix + "\n";
  }
}

void append_failure(std::string& out, std::size_t n, const Failure& f) {
  constexpr std::size_t kExplanationsShown = 5;
  out += "    " + std::to_string(n) + ") " + f.path + ": " + f.what + "\n";
  out += "       expected: " + f.expected + "\n";
  out += "       actual:   " + f.actual + "\n";
  if (!f.aws_error.empty() && f.aws_error != f.actual) {
    out += "       AWS:      " + elide_blobs(f.aws_error) + "\n";
  }
  if (!f.explanations.empty()) {
    out += "       ibsim:\n";
    for (std::size_t i = 0; i < f.explanations.size() && i < kExplanationsShown; ++i) {
      append_explanation(out, f.explanations[i], "         ", f.aws_error);
    }
    if (f.explanations.size() > kExplanationsShown) {
      out += "         ... and " + std::to_string(f.explanations.size() - kExplanationsShown)
             + " more failed jobs like these\n";
    }
  }
}

std::string xml_escape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (const char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      default:
        // XML 1.0 forbids most control characters.
        if (static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t' && c != '\r') {
          out += ' ';
        } else {
          out += c;
        }
    }
  }
  return out;
}

std::string failure_text(const RunResult& r) {
  std::string out;
  for (std::size_t i = 0; i < r.failures.size(); ++i) {
    append_failure(out, i + 1, r.failures[i]);
  }
  out += "    Replay: " + r.replay + "\n";
  return out;
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

}  // namespace

int exit_status(const std::vector<RunResult>& results) {
  int status = 0;
  for (const RunResult& r : results) {
    if (r.status == RunStatus::kBadInput) {
      return 2;
    }
    if (r.status == RunStatus::kFail) {
      status = 1;
    }
  }
  return status;
}

std::string render_text(const std::vector<RunResult>& results, const ReportOptions& options) {
  std::string out;
  std::size_t passed = 0;
  std::size_t failed = 0;
  std::size_t bad = 0;
  int64_t wall_total = 0;
  for (std::size_t i = 0; i < results.size(); ++i) {
    const RunResult& r = results[i];
    const bool has_wall = i < options.wall_ms.size();
    if (has_wall) {
      wall_total += options.wall_ms[i];
    }
    if (r.status == RunStatus::kBadInput) {
      ++bad;
      out += "BAD   " + r.file + "\n      " + r.bad_input + "\n";
      continue;
    }
    const bool pass = r.status == RunStatus::kPass;
    (pass ? passed : failed)++;
    std::string facts = "seed " + std::to_string(r.seed);
    facts += r.settled_at.has_value() ? ", settled at " + duration_text(*r.settled_at)
                                      : ", not settled at " + duration_text(r.ended_at);
    facts += ", " + std::to_string(r.amis_created)
             + (r.amis_created == 1 ? " new AMI, " : " new AMIs, ")
             + std::to_string(r.copies_started) + (r.copies_started == 1 ? " copy" : " copies");
    if (has_wall) {
      facts += ", " + seconds(options.wall_ms[i]);
    }
    out += std::string(pass ? "PASS  " : "FAIL  ") + pad(label(r), 48) + " (" + facts + ")\n";
    if (pass && !options.show_passing_timeline) {
      continue;
    }
    out += "    " + r.description + "\n";
    out += "    Timeline (virtual time):\n";
    for (const TimelineEntry& t : r.timeline) {
      out += "      " + pad(duration_text(t.at), 11) + " " + t.text + "\n";
    }
    for (const std::string& note : r.notes) {
      out += "    Note: " + note + "\n";
    }
    if (!pass) {
      out += "    Failures:\n" + failure_text(r);
    }
  }
  out += "\n" + std::to_string(results.size()) + " scenario" + (results.size() == 1 ? "" : "s")
         + ": " + std::to_string(passed) + " passed, " + std::to_string(failed) + " failed";
  if (bad > 0) {
    out += ", " + std::to_string(bad) + " bad input";
  }
  if (!options.wall_ms.empty()) {
    out += " (" + seconds(wall_total) + ")";
  }
  out += "\n";
  return out;
}

std::string render_json(const std::vector<RunResult>& results, const ReportOptions& options) {
  Json doc;
  Json list = Json::array();
  std::size_t counts[3] = {0, 0, 0};
  for (std::size_t i = 0; i < results.size(); ++i) {
    const RunResult& r = results[i];
    ++counts[static_cast<int>(r.status)];
    Json j;
    j["file"] = r.file;
    j["group"] = r.group;
    j["name"] = r.name;
    j["description"] = r.description;
    j["tags"] = r.tags;
    j["seed"] = r.seed;
    j["status"] = std::string(to_string(r.status));
    j["replay"] = r.replay;
    if (r.status == RunStatus::kBadInput) {
      j["badInput"] = r.bad_input;
      list.push_back(std::move(j));
      continue;
    }
    j["traceHash"] = r.trace_hash;
    j["traceEvents"] = r.trace_events;
    j["endedAtMs"] = r.ended_at.ms();
    j["settledAtMs"] = r.settled_at.has_value() ? Json(r.settled_at->ms()) : Json(nullptr);
    j["copiesStarted"] = r.copies_started;
    j["amisCreated"] = r.amis_created;
    Json steps = Json::array();
    for (const StepRecord& s : r.steps) {
      steps.push_back({{"path", s.path},
                       {"atMs", s.at.ms()},
                       {"description", s.description},
                       {"outcome", s.outcome},
                       {"ran", s.ran},
                       {"passed", s.passed}});
    }
    j["steps"] = std::move(steps);
    Json timeline = Json::array();
    for (const TimelineEntry& t : r.timeline) {
      timeline.push_back({{"atMs", t.at.ms()}, {"text", t.text}});
    }
    j["timeline"] = std::move(timeline);
    Json failures = Json::array();
    for (const Failure& f : r.failures) {
      Json explanations = Json::array();
      for (const Explanation& e : f.explanations) {
        explanations.push_back({{"title", e.title},
                                {"awsMessage", e.aws_message},
                                {"cause", e.cause},
                                {"why", e.why},
                                {"fixes", e.fixes}});
      }
      failures.push_back({{"path", f.path},
                          {"what", f.what},
                          {"expected", f.expected},
                          {"actual", f.actual},
                          {"awsError", f.aws_error},
                          {"explanations", std::move(explanations)}});
    }
    j["failures"] = std::move(failures);
    j["notes"] = r.notes;
    if (i < options.wall_ms.size()) {
      j["wallMs"] = options.wall_ms[i];
    }
    list.push_back(std::move(j));
  }
  doc["scenarios"] = std::move(list);
  doc["summary"] = {{"scenarios", results.size()},
                    {"passed", counts[0]},
                    {"failed", counts[1]},
                    {"badInput", counts[2]},
                    {"exitStatus", exit_status(results)}};
  if (!options.version.empty()) {
    doc["ibsim"] = options.version;
  }
  return doc.dump(2) + "\n";
}

std::string render_junit(const std::vector<RunResult>& results, const ReportOptions& options) {
  // One <testsuite> per group (the scenario's folder), in first-seen order.
  std::vector<std::string> groups;
  for (const RunResult& r : results) {
    const std::string g = r.group.empty() ? "scenarios" : r.group;
    if (std::find(groups.begin(), groups.end(), g) == groups.end()) {
      groups.push_back(g);
    }
  }
  std::size_t failures = 0;
  std::size_t errors = 0;
  int64_t total_ms = 0;
  for (std::size_t i = 0; i < results.size(); ++i) {
    failures += results[i].status == RunStatus::kFail ? 1U : 0U;
    errors += results[i].status == RunStatus::kBadInput ? 1U : 0U;
    total_ms += i < options.wall_ms.size() ? options.wall_ms[i] : 0;
  }
  const auto time_of = [&](int64_t ms) {
    return std::to_string(ms / 1000) + "." + std::to_string(1000 + ms % 1000).substr(1);
  };
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out += "<testsuites name=\"ibsim\" tests=\"" + std::to_string(results.size()) + "\" failures=\""
         + std::to_string(failures) + "\" errors=\"" + std::to_string(errors) + "\" time=\""
         + time_of(total_ms) + "\">\n";
  for (const std::string& g : groups) {
    std::string cases;
    std::size_t n = 0;
    std::size_t f = 0;
    std::size_t e = 0;
    int64_t ms = 0;
    for (std::size_t i = 0; i < results.size(); ++i) {
      const RunResult& r = results[i];
      if ((r.group.empty() ? "scenarios" : r.group) != g) {
        continue;
      }
      ++n;
      const int64_t case_ms = i < options.wall_ms.size() ? options.wall_ms[i] : 0;
      ms += case_ms;
      cases += "    <testcase classname=\"ibsim." + xml_escape(g) + "\" name=\""
               + xml_escape(r.name) + "\" file=\"" + xml_escape(r.file) + "\" time=\""
               + time_of(case_ms) + "\">\n";
      if (r.status == RunStatus::kBadInput) {
        ++e;
        cases += "      <error type=\"BadInput\" message=\"" + xml_escape(r.bad_input) + "\">"
                 + xml_escape(r.bad_input) + "</error>\n";
      } else if (r.status == RunStatus::kFail) {
        ++f;
        const std::string first = r.failures.empty()
                                      ? std::string("failed")
                                      : r.failures[0].path + ": " + r.failures[0].what;
        cases += "      <failure type=\"ExpectationFailed\" message=\""
                 + xml_escape(std::to_string(r.failures.size())
                              + " expectation(s) failed; first: " + first)
                 + "\">" + xml_escape(failure_text(r)) + "</failure>\n";
      }
      std::string timeline;
      for (const TimelineEntry& t : r.timeline) {
        timeline += duration_text(t.at) + "  " + t.text + "\n";
      }
      if (!timeline.empty()) {
        cases += "      <system-out>"
                 + xml_escape("seed " + std::to_string(r.seed) + "\n" + timeline + r.replay + "\n")
                 + "</system-out>\n";
      }
      cases += "    </testcase>\n";
    }
    out += "  <testsuite name=\"" + xml_escape(g) + "\" tests=\"" + std::to_string(n)
           + "\" failures=\"" + std::to_string(f) + "\" errors=\"" + std::to_string(e)
           + "\" time=\"" + time_of(ms) + "\">\n" + cases + "  </testsuite>\n";
  }
  out += "</testsuites>\n";
  return out;
}

std::string render_chrome_trace(const std::vector<RunResult>& results) {
  Json events = Json::array();
  constexpr int64_t kPidsPerScenario = 100'000;
  int64_t next_id = 1;  // Async slice ids, unique in the file.
  for (std::size_t s = 0; s < results.size(); ++s) {
    const RunResult& r = results[s];
    const int64_t base = static_cast<int64_t>(s + 1) * kPidsPerScenario;
    // Processes: Image Builder (steps, image statuses) and one per account; threads: regions.
    std::map<std::string, int64_t> pids;
    std::map<std::pair<int64_t, std::string>, int64_t> tids;
    const auto pid_of = [&](const std::string& account) {
      auto [it, added] = pids.emplace(account, base + static_cast<int64_t>(pids.size()) + 1);
      if (added) {
        events.push_back(
            {{"name", "process_name"},
             {"ph", "M"},
             {"pid", it->second},
             {"tid", 0},
             {"args",
              {{"name",
                label(r) + " seed " + std::to_string(r.seed) + ": "
                    + (account.empty() ? std::string("Image Builder") : "account " + account)}}}});
      }
      return it->second;
    };
    const auto tid_of = [&](int64_t pid, const std::string& region) {
      auto [it, added] =
          tids.emplace(std::make_pair(pid, region), static_cast<int64_t>(tids.size()) + 1);
      if (added) {
        events.push_back({{"name", "thread_name"},
                          {"ph", "M"},
                          {"pid", pid},
                          {"tid", it->second},
                          {"args", {{"name", region}}}});
      }
      return it->second;
    };
    const auto us = [](const sim::TraceEvent& e) {
      return e.at.ns() / 1000;
    };
    std::map<std::string, std::pair<const sim::TraceEvent*, int64_t>> open;  // region/image
    for (const sim::TraceEvent& e : r.events) {
      const std::string account = field(e, "account");
      const std::string region = field(e, "region");
      if (e.kind == "ec2.copy.start") {
        const int64_t pid = pid_of(account);
        const int64_t tid = tid_of(pid, region);
        const int64_t id = next_id++;
        open[region + "/" + field(e, "image")] = {&e, id};
        events.push_back({{"name", "copy " + field(e, "image")},
                          {"cat", "copy"},
                          {"ph", "b"},
                          {"id", id},
                          {"pid", pid},
                          {"tid", tid},
                          {"ts", us(e)},
                          {"args",
                           {{"region", region},
                            {"source",
                             field(e, "source_account") + " " + field(e, "source_region") + " "
                                 + field(e, "source_image")},
                            {"encrypted", field(e, "encrypted")}}}});
      } else if (e.kind == "ec2.copy.done" || e.kind == "ec2.copy.failed"
                 || e.kind == "ec2.copy.cancelled") {
        auto it = open.find(region + "/" + field(e, "image"));
        if (it == open.end()) {
          continue;
        }
        const int64_t pid = pid_of(account);
        events.push_back({{"name", "copy " + field(e, "image")},
                          {"cat", "copy"},
                          {"ph", "e"},
                          {"id", it->second.second},
                          {"pid", pid},
                          {"tid", tid_of(pid, region)},
                          {"ts", us(e)},
                          {"args",
                           {{"result", e.kind.substr(9)},
                            {"kms_key", field(e, "kms_key")},
                            {"code", field(e, "code")}}}});
        open.erase(it);
      } else if (e.kind == "engine.step.retry" || e.kind == "engine.step.denied"
                 || e.kind == "engine.step.failed" || e.kind == "engine.copy.queued") {
        const int64_t pid = pid_of(account);
        const std::string what = e.kind == "engine.step.retry"    ? "retry "
                                 : e.kind == "engine.step.denied" ? "denied "
                                 : e.kind == "engine.copy.queued" ? "queued for a copy slot"
                                                                  : "failed ";
        events.push_back({{"name",
                           what
                               + (e.kind == "engine.copy.queued"
                                      ? std::string()
                                      : field(e, "step") + " (" + field(e, "code") + ")")},
                          {"cat", e.kind.substr(7)},
                          {"ph", "i"},
                          {"s", "t"},
                          {"pid", pid},
                          {"tid", tid_of(pid, region)},
                          {"ts", us(e)},
                          {"args", {{"job", field(e, "job")}, {"run", field(e, "run")}}}});
      } else if (e.kind == "imagebuilder.image.status" || e.kind == "scenario.step") {
        const int64_t pid = pid_of("");
        const bool step = e.kind == "scenario.step";
        events.push_back({{"name",
                           step ? field(e, "call") + " -> " + field(e, "outcome")
                                : "image " + field(e, "status")},
                          {"cat", step ? "step" : "image"},
                          {"ph", "i"},
                          {"s", "t"},
                          {"pid", pid},
                          {"tid", tid_of(pid, step ? "steps" : "images")},
                          {"ts", us(e)},
                          {"args", {{"arn", field(e, "arn")}, {"region", region}}}});
      }
    }
    // Copies still open at the end (a run that did not settle): closed at the run's end.
    for (const auto& [key, value] : open) {
      const sim::TraceEvent& e = *value.first;
      const int64_t pid = pid_of(field(e, "account"));
      events.push_back({{"name", "copy " + field(e, "image")},
                        {"cat", "copy"},
                        {"ph", "e"},
                        {"id", value.second},
                        {"pid", pid},
                        {"tid", tid_of(pid, field(e, "region"))},
                        {"ts", r.ended_at.ns() / 1000},
                        {"args", {{"result", "unfinished"}}}});
    }
  }
  Json doc;
  doc["traceEvents"] = std::move(events);
  doc["displayTimeUnit"] = "ms";
  doc["otherData"] = {{"generator", "ibsim run --trace"}, {"clock", "virtual time"}};
  return doc.dump() + "\n";
}

}  // namespace ibsim::scenario

#include "src/scenario/explanations.h"

#include <nlohmann/json.hpp>

namespace ibsim::scenario {
namespace {

using Json = nlohmann::json;

std::string text_of(const Json& j, std::string_view key) {
  if (!j.is_object()) {
    return {};
  }
  auto it = j.find(std::string(key));
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// The authorizer's denial explanation: summary and fixes (with the statement to add).
void add_denial(const Json& denial, Explanation& out) {
  if (denial.is_string()) {
    out.why = denial.get<std::string>();
    return;
  }
  if (!denial.is_object()) {
    return;
  }
  out.why = text_of(denial, "summary");
  auto fixes = denial.find("fixes");
  if (fixes == denial.end() || !fixes->is_array()) {
    return;
  }
  for (const Json& f : *fixes) {
    std::string line = text_of(f, "text");
    if (auto st = f.find("statement"); st != f.end() && st->is_object()) {
      line += " Statement: " + st->dump();
    }
    if (std::string near = text_of(f, "nearMiss"); !near.empty()) {
      line += " (Near miss: " + near + ")";
    }
    if (!line.empty()) {
      out.fixes.push_back(std::move(line));
    }
  }
}

// The engine's job explanation (src/engine/reasons.cc).
void add_job(const Json& j, Explanation& out) {
  if (!j.is_object()) {
    return;
  }
  if (out.aws_message.empty()) {
    out.aws_message = text_of(j, "awsMessage");
  }
  if (auto e = j.find("error"); e != j.end() && e->is_object()) {
    out.cause = text_of(*e, "code") + ": " + text_of(*e, "message");
  }
  if (auto d = j.find("denial"); d != j.end()) {
    add_denial(*d, out);
  }
  if (std::string fix = text_of(j, "fix"); !fix.empty()) {
    out.fixes.push_back(std::move(fix));
  }
}

}  // namespace

Explanation explanation_from_error(const sim::AwsError& error, std::string_view title) {
  Explanation out;
  out.title = std::string(title);
  out.cause = error.code + ": " + error.message;
  const Json j = Json::parse(error.explanation, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) {
    out.why = error.explanation;
  } else if (j.is_object() && j.contains("step")) {
    add_job(j, out);
  } else {
    add_denial(j, out);
  }
  return out;
}

Explanation explanation_from_job(const mock_aws::api::imagebuilder::JobFailure& job) {
  Explanation out;
  const Json j = Json::parse(job.explanation, nullptr, /*allow_exceptions=*/false);
  std::string acting = j.is_discarded() ? std::string() : text_of(j, "actingAs");
  out.title = job.account_id.str() + " " + job.region.str() + ": " + job.step
              + (acting.empty() ? std::string() : " as " + acting);
  out.aws_message = job.aws_error;
  if (!j.is_discarded()) {
    add_job(j, out);
  } else if (!job.explanation.empty()) {
    out.why = job.explanation;
  }
  return out;
}

Explanation explanation_from_build(const mock_aws::api::imagebuilder::BuildResult& build,
                                   std::string_view image_arn) {
  Explanation out;
  out.title = "build of " + std::string(image_arn);
  out.aws_message = build.reason;
  const Json j = Json::parse(build.explanation, nullptr, /*allow_exceptions=*/false);
  if (!j.is_discarded()) {
    if (j.is_object() && j.contains("step")) {
      add_job(j, out);
    } else {
      add_denial(j, out);
    }
  } else if (!build.explanation.empty()) {
    out.why = build.explanation;
  }
  return out;
}

}  // namespace ibsim::scenario

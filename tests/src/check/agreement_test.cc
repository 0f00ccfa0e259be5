// `check` and the real distribution agree: for worlds that mirror each behaviour of AWS's
// cross-account distribution page (and a few more), the check reports no error exactly when the
// distribution (Image Builder's DistributeImage through the engine and the models) ends
// AVAILABLE, and the cause of every failed job appears among the check's errors — same account,
// same region (or an account-wide problem), and the same denied action when the job failed on a
// denial.

#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "tests/src/check/check_world.h"

namespace ibsim::check::testing {
namespace {

struct Case {
  std::string name;
  Json world;
  Json distribution;
  bool expect_success = false;
};

std::vector<Case> cases() {
  std::vector<Case> out;
  auto add = [&](std::string name, const Setup& s, const Distribution& d, bool ok) {
    out.push_back(Case{std::move(name), world_json(s), distribution_json(d), ok});
  };
  add("everything in place", {}, {}, true);
  {
    Setup s;
    s.launch_template = true;
    s.second_target = true;
    Distribution d;
    d.launch_template = true;
    d.targets = {std::string(kTarget), std::string(kTarget2)};
    add("two targets and a launch template", s, d, true);
  }
  {
    Setup s;
    s.encrypted_source = false;
    Distribution d;
    d.west_key = false;
    add("unencrypted without kmsKeyId", s, d, true);
  }
  {
    Setup s;
    s.role = false;
    add("missing role", s, {}, false);
  }
  {
    Setup s;
    s.trust_source = false;
    add("trust policy without the source account", s, {}, false);
  }
  {
    Setup s;
    s.managed_policy = false;
    add("managed policy not attached", s, {}, false);
  }
  {
    Setup s;
    s.key_policy_allows_target = false;
    add("key policy not allowing the target account", s, {}, false);
  }
  {
    Setup s;
    s.kms_inline_policy = false;
    add("role without the inline KMS policy", s, {}, false);
  }
  {
    Setup s;
    s.launch_template = true;
    s.launch_template_policy = false;
    Distribution d;
    d.launch_template = true;
    add("launch-template update without the launch-template policy", s, d, false);
  }
  {
    Setup s;
    s.launch_template = true;
    s.launch_template_tagged = false;
    Distribution d;
    d.launch_template = true;
    add("template not tagged CreatedBy", s, d, false);
  }
  {
    Setup s;
    s.paravirtual_source = true;
    s.encrypted_source = false;
    Distribution d;
    d.regions = {std::string(kEast), std::string(kOhio)};
    add("PV image to a region without PV", s, d, false);
  }
  {
    Setup s;
    s.aws_ebs_source = true;
    add("aws/ebs-encrypted source to another account", s, {}, false);
  }
  {
    Distribution d;
    d.west_key = false;
    add("encrypted copy to a region without kmsKeyId (aws/ebs)", {}, d, false);
  }
  {
    Distribution d;
    d.regions = {std::string(kWest)};
    add("configuration without the source region", {}, d, false);
  }
  {
    Distribution d;
    d.build_date = false;
    add("AMI name without buildDate", {}, d, false);
  }
  {
    Case c{"kmsKeyId alias that only the owner has", world_json({}), distribution_json({}), false};
    c.distribution["distributions"][1]["amiDistributionConfiguration"]["kmsKeyId"] = "alias/west";
    out.push_back(std::move(c));
  }
  {
    Case c{"disabled destination key", world_json({}), distribution_json({}), false};
    c.world["accounts"][std::string(kOwner)]["kms"][std::string(kWest)]["keys"]["west"]["enabled"] =
        false;
    out.push_back(std::move(c));
  }
  {
    Setup s;
    s.managed_policy = false;
    s.kms_inline_policy = false;
    s.key_policy_allows_target = false;
    add("several problems at once", s, {}, false);
  }
  return out;
}

// The action a denial names in a failed job's explanation ("... not authorized to perform: X ...").
std::string denied_action(const JobFailure& f) {
  const Json e = Json::parse(f.explanation, nullptr, false);
  if (e.is_discarded() || !e.contains("error") || !e["error"].contains("message")) {
    return {};
  }
  const std::string m = e["error"]["message"].get<std::string>();
  const std::string marker = "not authorized to perform: ";
  const auto at = m.find(marker);
  if (at == std::string::npos) {
    return {};
  }
  const auto start = at + marker.size();
  return m.substr(start, m.find(' ', start) - start);
}

bool explains(const Problem& p, const JobFailure& f, const std::string& action) {
  if (p.severity != Severity::kError) {
    return false;
  }
  bool region = p.region.empty() || p.region == f.region;
  bool account = p.account == f.account || p.account == kOwner;
  bool has_action = action.empty();
  for (const Denial& d : p.denials) {
    region = region || d.region == f.region;
    account = account || d.principal.find(":" + f.account + ":") != std::string::npos;
    has_action = has_action || d.action == action;
  }
  return region && account && has_action;
}

TEST_CASE("Agreement: check and the real distribution agree on every case", "[check]") {
  for (const Case& c : cases()) {
    SECTION(c.name) {
      const Report report = check(c.world, c.distribution);
      const Outcome run = distribute(c.world, c.distribution);
      INFO("case: " << c.name);
      INFO("check:\n" << describe(report));
      INFO("run: " << (run.created ? run.status + " " + run.reason : run.create_error));
      CHECK(run.succeeded() == c.expect_success);
      CHECK(report.ok() == run.succeeded());
      if (!run.created) {
        bool found = false;
        for (const Problem& p : report.problems) {
          found = found
                  || (p.code == "InvalidDistributionConfiguration"
                      && run.create_error.find(p.aws_error.substr(p.aws_error.find(':') + 2))
                             != std::string::npos);
        }
        CHECK(found);
      }
      for (const JobFailure& f : run.failures) {
        const std::string action = denied_action(f);
        bool found = false;
        for (const Problem& p : report.problems) {
          found = found || explains(p, f, action);
        }
        INFO("failed job: " << f.account << " " << f.region << " " << f.step << " " << action
                            << ": " << f.aws_error);
        CHECK(found);
      }
    }
  }
}

}  // namespace
}  // namespace ibsim::check::testing

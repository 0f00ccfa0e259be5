#pragma once
// Checkers: invariants of every run, outside the models, over the recorded trace and the final
// world through read-only accessors (STYLE.md "checkers sit outside the models"):
//   - no AMI is shared with, or copied into, an account outside the distribution configuration;
//   - every encrypted copy is under its destination key, its snapshot data really decrypts with
//     that key (and to the source's plaintext), and not with the source key;
//   - no job or copy is left unfinished after the quiet phase;
//   - the copy caps were never exceeded (EC2's per account and region, the engine's own).
// The fifth invariant, same seed → same trace hash, needs two runs: the scenario tests check it.

#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "mock_aws/api/ids.h"
#include "mock_aws/services/world.h"
#include "sim/trace.h"
#include "src/engine/distribution_engine.h"
#include "src/scenario/runner.h"

namespace ibsim::scenario {

// What the checkers look at. Everything is read only.
struct CheckerInput {
  mock_aws::services::World& world;  // Only const accessors are used (aws_managed_ebs_key aside).
  const engine::DistributionEngine& engine;
  const std::vector<sim::TraceEvent>& events;
  bool events_complete = true;  // False when the trace recording was truncated.
  // Images (region, id) that existed before the first step, with their launch permissions then.
  const std::map<std::pair<mock_aws::api::Region, std::string>, std::set<std::string>>& baseline;
  // Image Builder images the steps created (build version ARNs).
  const std::vector<std::string>& images;
  // (account, region) pairs whose principals made EC2 calls themselves in steps: AMIs they copy
  // or register there are theirs, not the configuration's.
  const std::set<std::pair<mock_aws::api::AccountId, mock_aws::api::Region>>& direct_ec2;
};

struct Checker {
  std::string_view name;
  std::vector<Failure> (*check)(const CheckerInput& in);
};

// Every checker, in the order they run.
const std::vector<Checker>& checkers();

std::vector<Failure> check_no_foreign_amis(const CheckerInput& in);
std::vector<Failure> check_encrypted_copies(const CheckerInput& in);
std::vector<Failure> check_nothing_unfinished(const CheckerInput& in);
std::vector<Failure> check_copy_caps(const CheckerInput& in);

}  // namespace ibsim::scenario

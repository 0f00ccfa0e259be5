#pragma once
// World-file sections for the regional services: per account, "kms", "ec2" and "ssm", each keyed
// by region; and the top-level "quotas". They extend WorldLoader (world_loader.h) and load after
// the IAM sections, KMS first, so images and settings can name keys by alias ("alias/x"), alias
// ARN or key ARN. docs/world-format.md documents every key with an example.

#include <vector>

#include "src/scenario/world_loader.h"

namespace ibsim::scenario {

enum class ServicePhase : int {
  kKms = 100,
  kEc2 = 110,
  kSsm = 120,
};

// "kms", "ec2", "ssm".
std::vector<AccountSection> service_account_sections();
// "quotas".
std::vector<TopLevelSection> service_top_level_sections();

// A WorldLoader with every section: IAM, services, quotas.
WorldLoader full_world_loader();

}  // namespace ibsim::scenario

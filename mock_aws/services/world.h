#pragma once
// World: one simulated AWS — the sim::Context it runs on, the enabled regions, and every service
// model wired together: IAM, the STS session store, the authorizer (StsAuthorizer, which IAM's own
// operations use too), the authorization-message codec, and STS. Later steps add KMS, EC2, SSM
// and Image Builder here; each takes what it needs from the members below by reference.
// Members are declared in construction order; nothing here is global.
//
//   sim::Context ctx({.seed = 7});
//   services::World world(ctx);
//   world.add_account(acct, "source");
//   auto out = world.sts().assume_role(call, in);

#include <set>
#include <span>
#include <string_view>

#include "mock_aws/api/ids.h"
#include "mock_aws/auth/authorization_message.h"
#include "mock_aws/iam/iam_model.h"
#include "mock_aws/sts/session_store.h"
#include "mock_aws/sts/sts_authorizer.h"
#include "mock_aws/sts/sts_model.h"
#include "sim/base/result.h"
#include "sim/context.h"

namespace ibsim::mock_aws::services {

class World {
 public:
  struct Options {
    iam::IamModel::Options iam;
  };

  explicit World(sim::Context& ctx) : World(ctx, Options{}) {}

  World(sim::Context& ctx, Options options);

  World(const World&) = delete;
  World& operator=(const World&) = delete;

  sim::Context& context() { return ctx_; }

  iam::IamModel& iam() { return iam_; }

  const iam::IamModel& iam() const { return iam_; }

  sts::SessionStore& sessions() { return sessions_; }

  sts::StsAuthorizer& authorizer() { return authorizer_; }

  const sts::StsAuthorizer& authorizer() const { return authorizer_; }

  const auth::AuthorizationMessages& authorization_messages() const { return messages_; }

  sts::StsModel& sts() { return sts_; }

  // Accounts live in IAM; this is the one way to add one (a malformed id is an error).
  sim::Status add_account(const api::AccountId& account, std::string_view name = {});
  sim::Status add_account(std::string_view account_id, std::string_view name = {});

  // The regions this world offers. Until set_regions is called, every catalogue region.
  void set_regions(std::span<const api::Region> regions);
  bool has_region(const api::Region& region) const;

  const std::set<api::Region>& regions() const { return regions_; }

 private:
  sim::Context& ctx_;
  std::set<api::Region> regions_;
  iam::IamModel iam_;
  sts::SessionStore sessions_;
  sts::StsAuthorizer authorizer_;
  auth::AuthorizationMessages messages_;
  sts::StsModel sts_;
};

}  // namespace ibsim::mock_aws::services

#pragma once
// World: one simulated AWS — the sim::Context it runs on, the enabled regions, and every service
// model wired together: IAM, the STS session store, the authorizer (StsAuthorizer, which every
// model's operations use), the authorization-message codec, STS, KMS (also EC2's EbsKeyService),
// EC2, SSM and Image Builder. Image Builder hands its AWS-facing work to a Workflow that the
// composition root plugs in later (the distribution engine, src/engine), through a forwarding
// proxy owned here. Every enabled region offers the AWS-managed catalogue of parent images as
// public AMIs owned by "amazon". Members are declared in construction order; nothing is global.
//
//   sim::Context ctx({.seed = 7});
//   services::World world(ctx);
//   world.add_account(acct, "source");
//   auto out = world.sts().assume_role(call, in);

#include <set>
#include <span>
#include <string_view>

#include "mock_aws/api/ids.h"
#include "mock_aws/api/imagebuilder_workflow.h"
#include "mock_aws/auth/authorization_message.h"
#include "mock_aws/ec2/ec2_model.h"
#include "mock_aws/iam/iam_model.h"
#include "mock_aws/imagebuilder/imagebuilder_model.h"
#include "mock_aws/kms/kms_model.h"
#include "mock_aws/ssm/ssm_model.h"
#include "mock_aws/sts/session_store.h"
#include "mock_aws/sts/sts_authorizer.h"
#include "mock_aws/sts/sts_model.h"
#include "sim/base/result.h"
#include "sim/context.h"

namespace ibsim::mock_aws::services {

// Forwards Image Builder's workflow calls to the target the composition root sets; without one,
// builds and distributions fail at once with a clear reason (a model test that wires nothing).
class WorkflowProxy final : public api::imagebuilder::Workflow {
 public:
  void set_target(api::imagebuilder::Workflow* target) { target_ = target; }

  void build(const api::imagebuilder::BuildPlan& plan,
             std::function<void(api::imagebuilder::BuildResult)> done) override;
  void distribute(const api::imagebuilder::DistributionPlan& plan,
                  std::function<void(api::imagebuilder::DistributionResult)> done) override;
  void cancel(std::string_view image_arn) override;

 private:
  api::imagebuilder::Workflow* target_ = nullptr;
};

class World {
 public:
  struct Options {
    iam::IamModel::Options iam;
    kms::KmsModel::Options kms;
    ec2::Ec2Model::Options ec2;
    ssm::SsmModel::Options ssm;
    imagebuilder::ImageBuilderModel::Options imagebuilder;
    // STS sessions stored at once; past it the earliest-expiring one is evicted (see
    // sts::SessionStore).
    std::size_t sts_sessions_max = sts::SessionStore::kSessionsMaxDefault;
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

  kms::KmsModel& kms() { return kms_; }

  ec2::Ec2Model& ec2() { return ec2_; }

  ssm::SsmModel& ssm() { return ssm_; }

  imagebuilder::ImageBuilderModel& imagebuilder() { return imagebuilder_; }

  // Where Image Builder's builds and distributions go (the engine); nullptr disconnects.
  void set_workflow(api::imagebuilder::Workflow* workflow) { workflow_.set_target(workflow); }

  WorkflowProxy& workflow_proxy() { return workflow_; }

  // Accounts live in IAM; this is the one way to add one (a malformed id is an error).
  sim::Status add_account(const api::AccountId& account, std::string_view name = {});
  sim::Status add_account(std::string_view account_id, std::string_view name = {});

  // The regions this world offers. Until set_regions is called, every catalogue region. Every
  // region holds the AWS-managed parent images (public AMIs owned by "amazon") from the start.
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
  kms::KmsModel kms_;
  ec2::Ec2Model ec2_;
  ssm::SsmModel ssm_;
  WorkflowProxy workflow_;
  imagebuilder::ImageBuilderModel imagebuilder_;
  std::set<api::Region> catalogue_regions_;  // Regions whose managed AMIs are seeded.

  void seed_catalogue(const api::Region& region);
};

}  // namespace ibsim::mock_aws::services

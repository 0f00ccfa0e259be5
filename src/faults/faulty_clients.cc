#include "src/faults/faulty_clients.h"

#include <utility>

namespace ibsim::faults {
namespace {

namespace ec2 = client::ec2;
namespace sts = client::sts;
namespace iam = client::iam;
namespace ssm = client::ssm;

// The account field of an ARN ("arn:aws:iam::123456789012:role/x"), when it is an account id.
std::optional<api::AccountId> arn_account(std::string_view arn) {
  std::size_t start = 0;
  for (int field = 0; field < 4; ++field) {
    const std::size_t colon = arn.find(':', start);
    if (colon == std::string_view::npos) {
      return std::nullopt;
    }
    start = colon + 1;
  }
  const std::size_t end = arn.find(':', start);
  if (end == std::string_view::npos) {
    return std::nullopt;
  }
  const std::string_view account = arn.substr(start, end - start);
  if (!api::AccountId::is_valid(account)) {
    return std::nullopt;
  }
  return api::AccountId::from_valid(account);
}

// One call through the injector: refused calls never reach `call`; lost replies are replaced.
template <typename T, typename F>
sim::Result<T> guarded(FaultyClientFactory& factory,
                       Service service,
                       std::string_view operation,
                       const std::optional<api::AccountId>& account,
                       const api::Region* region,
                       F&& call) {
  const FaultInjector::Verdict v =
      factory.injector().on_call({.service = service,
                                  .operation = operation,
                                  .account = account.has_value() ? &*account : nullptr,
                                  .region = region});
  if (v.kind == FaultInjector::Verdict::Kind::kRefuse) {
    return v.error;
  }
  sim::Result<T> out = call();
  factory.add_latency(v.latency);
  if (v.kind == FaultInjector::Verdict::Kind::kLoseReply) {
    return v.error;
  }
  return out;
}

class FaultyEc2 final : public client::Ec2Client {
 public:
  FaultyEc2(FaultyClientFactory& factory,
            std::unique_ptr<client::Ec2Client> inner,
            std::optional<api::AccountId> account,
            api::Region region)
      : factory_(factory),
        inner_(std::move(inner)),
        account_(std::move(account)),
        region_(std::move(region)) {}

#define IBSIM_FAULTY_EC2_CALL(Out, method, In, operation)                                  \
  sim::Result<ec2::Out> method(const ec2::In& in) override {                               \
    return guarded<ec2::Out>(factory_, Service::kEc2, operation, account_, &region_, [&] { \
      return inner_->method(in);                                                           \
    });                                                                                    \
  }

  IBSIM_FAULTY_EC2_CALL(DescribeImagesOutput,
                        describe_images,
                        DescribeImagesInput,
                        "DescribeImages")
  IBSIM_FAULTY_EC2_CALL(CopyImageOutput, copy_image, CopyImageInput, "CopyImage")
  IBSIM_FAULTY_EC2_CALL(ModifyImageAttributeOutput,
                        modify_image_attribute,
                        ModifyImageAttributeInput,
                        "ModifyImageAttribute")
  IBSIM_FAULTY_EC2_CALL(CreateImageOutput, create_image, CreateImageInput, "CreateImage")
  IBSIM_FAULTY_EC2_CALL(DescribeSnapshotsOutput,
                        describe_snapshots,
                        DescribeSnapshotsInput,
                        "DescribeSnapshots")
  IBSIM_FAULTY_EC2_CALL(ModifySnapshotAttributeOutput,
                        modify_snapshot_attribute,
                        ModifySnapshotAttributeInput,
                        "ModifySnapshotAttribute")
  IBSIM_FAULTY_EC2_CALL(CreateTagsOutput, create_tags, CreateTagsInput, "CreateTags")
  IBSIM_FAULTY_EC2_CALL(RunInstancesOutput, run_instances, RunInstancesInput, "RunInstances")
  IBSIM_FAULTY_EC2_CALL(DescribeInstancesOutput,
                        describe_instances,
                        DescribeInstancesInput,
                        "DescribeInstances")
  IBSIM_FAULTY_EC2_CALL(TerminateInstancesOutput,
                        terminate_instances,
                        TerminateInstancesInput,
                        "TerminateInstances")
  IBSIM_FAULTY_EC2_CALL(DescribeLaunchTemplatesOutput,
                        describe_launch_templates,
                        DescribeLaunchTemplatesInput,
                        "DescribeLaunchTemplates")
  IBSIM_FAULTY_EC2_CALL(DescribeLaunchTemplateVersionsOutput,
                        describe_launch_template_versions,
                        DescribeLaunchTemplateVersionsInput,
                        "DescribeLaunchTemplateVersions")
  IBSIM_FAULTY_EC2_CALL(CreateLaunchTemplateVersionOutput,
                        create_launch_template_version,
                        CreateLaunchTemplateVersionInput,
                        "CreateLaunchTemplateVersion")
  IBSIM_FAULTY_EC2_CALL(ModifyLaunchTemplateOutput,
                        modify_launch_template,
                        ModifyLaunchTemplateInput,
                        "ModifyLaunchTemplate")
  IBSIM_FAULTY_EC2_CALL(GetEbsDefaultKmsKeyIdOutput,
                        get_ebs_default_kms_key_id,
                        GetEbsDefaultKmsKeyIdInput,
                        "GetEbsDefaultKmsKeyId")
  IBSIM_FAULTY_EC2_CALL(GetEbsEncryptionByDefaultOutput,
                        get_ebs_encryption_by_default,
                        GetEbsEncryptionByDefaultInput,
                        "GetEbsEncryptionByDefault")

#undef IBSIM_FAULTY_EC2_CALL

  // ibsim's extension reads what the model recorded; it is not an AWS call, so no fault applies.
  std::optional<sim::AwsError> image_failure_cause(std::string_view image_id) override {
    return inner_->image_failure_cause(image_id);
  }

 private:
  FaultyClientFactory& factory_;
  std::unique_ptr<client::Ec2Client> inner_;
  std::optional<api::AccountId> account_;
  api::Region region_;
};

class FaultySts final : public client::StsClient {
 public:
  FaultySts(FaultyClientFactory& factory,
            std::unique_ptr<client::StsClient> inner,
            std::optional<api::AccountId> account,
            api::Region region)
      : factory_(factory),
        inner_(std::move(inner)),
        account_(std::move(account)),
        region_(std::move(region)) {}

  sim::Result<sts::AssumeRoleOutput> assume_role(const sts::AssumeRoleInput& in) override {
    // AssumeRole acts in the role's account: a rule for account T hits assuming T's role.
    const std::optional<api::AccountId> role_account = arn_account(in.role_arn);
    sim::Result<sts::AssumeRoleOutput> out =
        guarded<sts::AssumeRoleOutput>(factory_,
                                       Service::kSts,
                                       "AssumeRole",
                                       role_account.has_value() ? role_account : account_,
                                       &region_,
                                       [&] { return inner_->assume_role(in); });
    if (out.ok()) {
      if (std::optional<api::AccountId> a = arn_account(out->assumed_role_user.arn)) {
        factory_.remember_session(out->credentials.access_key_id, *a);
      }
    }
    return out;
  }

  sim::Result<sts::GetCallerIdentityOutput> get_caller_identity(
      const sts::GetCallerIdentityInput& in) override {
    return guarded<sts::GetCallerIdentityOutput>(
        factory_, Service::kSts, "GetCallerIdentity", account_, &region_, [&] {
          return inner_->get_caller_identity(in);
        });
  }

 private:
  FaultyClientFactory& factory_;
  std::unique_ptr<client::StsClient> inner_;
  std::optional<api::AccountId> account_;
  api::Region region_;
};

class FaultyIam final : public client::IamClient {
 public:
  FaultyIam(FaultyClientFactory& factory,
            std::unique_ptr<client::IamClient> inner,
            std::optional<api::AccountId> account)
      : factory_(factory), inner_(std::move(inner)), account_(std::move(account)) {}

  // IAM is global: its calls match rules without a region only, and no outage darkens them.
  sim::Result<iam::GetInstanceProfileOutput> get_instance_profile(
      const iam::GetInstanceProfileInput& in) override {
    return guarded<iam::GetInstanceProfileOutput>(
        factory_, Service::kIam, "GetInstanceProfile", account_, nullptr, [&] {
          return inner_->get_instance_profile(in);
        });
  }

  sim::Result<iam::GetRoleOutput> get_role(const iam::GetRoleInput& in) override {
    return guarded<iam::GetRoleOutput>(factory_, Service::kIam, "GetRole", account_, nullptr, [&] {
      return inner_->get_role(in);
    });
  }

 private:
  FaultyClientFactory& factory_;
  std::unique_ptr<client::IamClient> inner_;
  std::optional<api::AccountId> account_;
};

class FaultySsm final : public client::SsmClient {
 public:
  FaultySsm(FaultyClientFactory& factory,
            std::unique_ptr<client::SsmClient> inner,
            std::optional<api::AccountId> account,
            api::Region region)
      : factory_(factory),
        inner_(std::move(inner)),
        account_(std::move(account)),
        region_(std::move(region)) {}

  sim::Result<ssm::PutParameterOutput> put_parameter(const ssm::PutParameterInput& in) override {
    return guarded<ssm::PutParameterOutput>(
        factory_, Service::kSsm, "PutParameter", account_, &region_, [&] {
          return inner_->put_parameter(in);
        });
  }

 private:
  FaultyClientFactory& factory_;
  std::unique_ptr<client::SsmClient> inner_;
  std::optional<api::AccountId> account_;
  api::Region region_;
};

}  // namespace

std::unique_ptr<client::Ec2Client> FaultyClientFactory::ec2(const client::Identity& identity,
                                                            const api::Region& region) {
  return std::make_unique<FaultyEc2>(
      *this, inner_.ec2(identity, region), account_of(identity), region);
}

std::unique_ptr<client::StsClient> FaultyClientFactory::sts(const client::Identity& identity,
                                                            const api::Region& region) {
  return std::make_unique<FaultySts>(
      *this, inner_.sts(identity, region), account_of(identity), region);
}

std::unique_ptr<client::IamClient> FaultyClientFactory::iam(const client::Identity& identity) {
  return std::make_unique<FaultyIam>(*this, inner_.iam(identity), account_of(identity));
}

std::unique_ptr<client::SsmClient> FaultyClientFactory::ssm(const client::Identity& identity,
                                                            const api::Region& region) {
  return std::make_unique<FaultySsm>(
      *this, inner_.ssm(identity, region), account_of(identity), region);
}

std::optional<api::AccountId> FaultyClientFactory::account_of(
    const client::Identity& identity) const {
  if (identity.is_service()) {
    return std::nullopt;
  }
  const std::string& key = identity.credentials().access_key_id;
  if (api::AccountId::is_valid(key)) {
    return api::AccountId::from_valid(key);  // An account's root (LocalStack's convention).
  }
  const auto it = session_accounts_.find(key);
  if (it == session_accounts_.end()) {
    return std::nullopt;
  }
  return it->second;
}

void FaultyClientFactory::remember_session(const std::string& access_key_id,
                                           const api::AccountId& account) {
  if (session_accounts_.size() >= kSessionsRememberedMax) {
    session_accounts_.clear();
  }
  session_accounts_.insert_or_assign(access_key_id, account);
}

}  // namespace ibsim::faults

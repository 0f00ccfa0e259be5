#include "src/scenario/direct_clients.h"

#include <string>
#include <utility>

#include "mock_aws/api/principal.h"

namespace ibsim::scenario {
namespace {

namespace ec2 = client::ec2;

// IAM's endpoint is global and signs for us-east-1 (aws-facts §5.6).
constexpr std::string_view kIamSigningRegion = "us-east-1";
constexpr std::string_view kServicePrincipalSuffix = ".amazonaws.com";
constexpr std::string_view kSignatureMismatch =
    "The request signature we calculated does not match the signature you provided. Check your "
    "AWS Secret Access Key and signing method. Consult the service documentation for details.";

// The authentication errors of each protocol family (aws-facts §6.2).
sim::AwsError unknown_key(ServiceFamily family) {
  switch (family) {
    case ServiceFamily::kEc2:
      return sim::aws_error(
          "AuthFailure", "AWS was not able to validate the provided access credentials", 401);
    case ServiceFamily::kQuery:
      return sim::aws_error(
          "InvalidClientTokenId", "The security token included in the request is invalid.", 403);
    case ServiceFamily::kJson:
      return sim::aws_error("UnrecognizedClientException",
                            "The security token included in the request is invalid.",
                            400);
  }
  return sim::aws_error("InvalidClientTokenId", "The security token is invalid.", 403);
}

sim::AwsError expired(ServiceFamily family) {
  switch (family) {
    case ServiceFamily::kEc2:
      return sim::aws_error("RequestExpired", "Request has expired.", 400);
    case ServiceFamily::kQuery:
      return sim::aws_error(
          "ExpiredToken", "The security token included in the request is expired", 400);
    case ServiceFamily::kJson:
      return sim::aws_error(
          "ExpiredTokenException", "The security token included in the request is expired", 400);
  }
  return sim::aws_error("ExpiredToken", "The security token is expired", 400);
}

sim::AwsError bad_signature(ServiceFamily family) {
  switch (family) {
    case ServiceFamily::kEc2:
      return sim::aws_error(
          "AuthFailure", "AWS was not able to validate the provided access credentials", 401);
    case ServiceFamily::kQuery:
      return sim::aws_error("SignatureDoesNotMatch", std::string(kSignatureMismatch), 403);
    case ServiceFamily::kJson:
      return sim::aws_error("InvalidSignatureException", std::string(kSignatureMismatch), 400);
  }
  return sim::aws_error("SignatureDoesNotMatch", std::string(kSignatureMismatch), 403);
}

// Operations a model gains later are wired as soon as it declares them; until then the call is
// answered as EC2 answers an action it does not know.
sim::AwsError not_modelled(std::string_view action) {
  return sim::aws_error("InvalidAction",
                        "The action " + std::string(action)
                            + " is not valid for this web service (not modelled yet).",
                        400);
}

template <typename Model>
sim::Result<ec2::CreateImageOutput> call_create_image(Model& model,
                                                      const api::CallContext& ctx,
                                                      const ec2::CreateImageInput& in) {
  if constexpr (requires { model.create_image(ctx, in); }) {
    return model.create_image(ctx, in);
  } else {
    return not_modelled("CreateImage");
  }
}

template <typename Model>
sim::Result<ec2::TerminateInstancesOutput> call_terminate_instances(
    Model& model, const api::CallContext& ctx, const ec2::TerminateInstancesInput& in) {
  if constexpr (requires { model.terminate_instances(ctx, in); }) {
    return model.terminate_instances(ctx, in);
  } else {
    return not_modelled("TerminateInstances");
  }
}

class DirectEc2 final : public client::Ec2Client {
 public:
  DirectEc2(DirectClientFactory& factory, client::Identity identity, api::Region region)
      : session_(factory, std::move(identity), region, ServiceFamily::kEc2),
        model_(factory.models().ec2),
        region_(std::move(region)) {}

#define IBSIM_DIRECT_EC2_CALL(method)                            \
  sim::Result<const api::CallContext*> c = session_.next_call(); \
  if (!c.ok()) {                                                 \
    return c.error();                                            \
  }                                                              \
  return model_.method(**c, in)

  sim::Result<ec2::DescribeImagesOutput> describe_images(
      const ec2::DescribeImagesInput& in) override {
    IBSIM_DIRECT_EC2_CALL(describe_images);
  }

  sim::Result<ec2::CopyImageOutput> copy_image(const ec2::CopyImageInput& in) override {
    IBSIM_DIRECT_EC2_CALL(copy_image);
  }

  sim::Result<ec2::ModifyImageAttributeOutput> modify_image_attribute(
      const ec2::ModifyImageAttributeInput& in) override {
    IBSIM_DIRECT_EC2_CALL(modify_image_attribute);
  }

  sim::Result<ec2::CreateImageOutput> create_image(const ec2::CreateImageInput& in) override {
    sim::Result<const api::CallContext*> c = session_.next_call();
    if (!c.ok()) {
      return c.error();
    }
    return call_create_image(model_, **c, in);
  }

  sim::Result<ec2::DescribeSnapshotsOutput> describe_snapshots(
      const ec2::DescribeSnapshotsInput& in) override {
    IBSIM_DIRECT_EC2_CALL(describe_snapshots);
  }

  sim::Result<ec2::ModifySnapshotAttributeOutput> modify_snapshot_attribute(
      const ec2::ModifySnapshotAttributeInput& in) override {
    IBSIM_DIRECT_EC2_CALL(modify_snapshot_attribute);
  }

  sim::Result<ec2::CreateTagsOutput> create_tags(const ec2::CreateTagsInput& in) override {
    IBSIM_DIRECT_EC2_CALL(create_tags);
  }

  sim::Result<ec2::RunInstancesOutput> run_instances(const ec2::RunInstancesInput& in) override {
    IBSIM_DIRECT_EC2_CALL(run_instances);
  }

  sim::Result<ec2::DescribeInstancesOutput> describe_instances(
      const ec2::DescribeInstancesInput& in) override {
    IBSIM_DIRECT_EC2_CALL(describe_instances);
  }

  sim::Result<ec2::TerminateInstancesOutput> terminate_instances(
      const ec2::TerminateInstancesInput& in) override {
    sim::Result<const api::CallContext*> c = session_.next_call();
    if (!c.ok()) {
      return c.error();
    }
    return call_terminate_instances(model_, **c, in);
  }

  sim::Result<ec2::DescribeLaunchTemplatesOutput> describe_launch_templates(
      const ec2::DescribeLaunchTemplatesInput& in) override {
    IBSIM_DIRECT_EC2_CALL(describe_launch_templates);
  }

  sim::Result<ec2::DescribeLaunchTemplateVersionsOutput> describe_launch_template_versions(
      const ec2::DescribeLaunchTemplateVersionsInput& in) override {
    IBSIM_DIRECT_EC2_CALL(describe_launch_template_versions);
  }

  sim::Result<ec2::CreateLaunchTemplateVersionOutput> create_launch_template_version(
      const ec2::CreateLaunchTemplateVersionInput& in) override {
    IBSIM_DIRECT_EC2_CALL(create_launch_template_version);
  }

  sim::Result<ec2::ModifyLaunchTemplateOutput> modify_launch_template(
      const ec2::ModifyLaunchTemplateInput& in) override {
    IBSIM_DIRECT_EC2_CALL(modify_launch_template);
  }

  sim::Result<ec2::GetEbsDefaultKmsKeyIdOutput> get_ebs_default_kms_key_id(
      const ec2::GetEbsDefaultKmsKeyIdInput& in) override {
    IBSIM_DIRECT_EC2_CALL(get_ebs_default_kms_key_id);
  }

  sim::Result<ec2::GetEbsEncryptionByDefaultOutput> get_ebs_encryption_by_default(
      const ec2::GetEbsEncryptionByDefaultInput& in) override {
    IBSIM_DIRECT_EC2_CALL(get_ebs_encryption_by_default);
  }

#undef IBSIM_DIRECT_EC2_CALL

  std::optional<sim::AwsError> image_failure_cause(std::string_view image_id) override {
    // Only what the caller may see: the image must be visible to it through DescribeImages.
    sim::Result<const api::CallContext*> c = session_.next_call();
    if (!c.ok()) {
      return std::nullopt;
    }
    sim::Result<ec2::DescribeImagesOutput> visible =
        model_.describe_images(**c, {.image_ids = {std::string(image_id)}});
    if (!visible.ok() || visible->images.empty()) {
      return std::nullopt;
    }
    const mock_aws::ec2::ImageRecord* image = model_.find_image(region_, image_id);
    if (image == nullptr || image->failure == nullptr) {
      return std::nullopt;
    }
    return image->failure->cause;
  }

 private:
  DirectSession session_;
  mock_aws::ec2::Ec2Model& model_;
  api::Region region_;
};

class DirectSts final : public client::StsClient {
 public:
  DirectSts(DirectClientFactory& factory, client::Identity identity, api::Region region)
      : session_(factory, std::move(identity), std::move(region), ServiceFamily::kQuery),
        model_(factory.models().sts) {}

  sim::Result<client::sts::AssumeRoleOutput> assume_role(
      const client::sts::AssumeRoleInput& in) override {
    sim::Result<const api::CallContext*> c = session_.next_call();
    if (!c.ok()) {
      return c.error();
    }
    return model_.assume_role(**c, in);
  }

  sim::Result<client::sts::GetCallerIdentityOutput> get_caller_identity(
      const client::sts::GetCallerIdentityInput& in) override {
    sim::Result<const api::CallContext*> c = session_.next_call();
    if (!c.ok()) {
      return c.error();
    }
    return model_.get_caller_identity(**c, in);
  }

 private:
  DirectSession session_;
  mock_aws::sts::StsModel& model_;
};

class DirectIam final : public client::IamClient {
 public:
  DirectIam(DirectClientFactory& factory, client::Identity identity)
      : session_(factory,
                 std::move(identity),
                 api::Region::from_known(kIamSigningRegion),
                 ServiceFamily::kQuery),
        model_(factory.models().iam) {}

  sim::Result<client::iam::GetInstanceProfileOutput> get_instance_profile(
      const client::iam::GetInstanceProfileInput& in) override {
    sim::Result<const api::CallContext*> c = session_.next_call();
    if (!c.ok()) {
      return c.error();
    }
    return model_.get_instance_profile(**c, in);
  }

  sim::Result<client::iam::GetRoleOutput> get_role(const client::iam::GetRoleInput& in) override {
    sim::Result<const api::CallContext*> c = session_.next_call();
    if (!c.ok()) {
      return c.error();
    }
    return model_.get_role(**c, in);
  }

 private:
  DirectSession session_;
  mock_aws::iam::IamModel& model_;
};

class DirectSsm final : public client::SsmClient {
 public:
  DirectSsm(DirectClientFactory& factory, client::Identity identity, api::Region region)
      : session_(factory, std::move(identity), std::move(region), ServiceFamily::kJson),
        model_(factory.models().ssm) {}

  sim::Result<client::ssm::PutParameterOutput> put_parameter(
      const client::ssm::PutParameterInput& in) override {
    sim::Result<const api::CallContext*> c = session_.next_call();
    if (!c.ok()) {
      return c.error();
    }
    if (model_ == nullptr) {
      return sim::aws_error(
          "InvalidAction", "ibsim: this world has no SSM Parameter Store (PutParameter).", 400);
    }
    return model_->put_parameter(**c, in);
  }

 private:
  DirectSession session_;
  mock_aws::ssm::SsmModel* model_;
};

}  // namespace

// ---- DirectClientFactory ---------------------------------------------------------------------

DirectClientFactory::DirectClientFactory(sim::Context& ctx, Models models)
    : ctx_(ctx), models_(models), request_ids_(ctx.rng().fork("client.direct.request_ids")) {}

DirectClientFactory::DirectClientFactory(mock_aws::services::World& world)
    : DirectClientFactory(
        world.context(),
        {.iam = world.iam(), .sts = world.sts(), .ec2 = world.ec2(), .ssm = &world.ssm()}) {}

std::unique_ptr<client::Ec2Client> DirectClientFactory::ec2(const client::Identity& identity,
                                                            const api::Region& region) {
  return std::make_unique<DirectEc2>(*this, identity, region);
}

std::unique_ptr<client::StsClient> DirectClientFactory::sts(const client::Identity& identity,
                                                            const api::Region& region) {
  return std::make_unique<DirectSts>(*this, identity, region);
}

std::unique_ptr<client::IamClient> DirectClientFactory::iam(const client::Identity& identity) {
  return std::make_unique<DirectIam>(*this, identity);
}

std::unique_ptr<client::SsmClient> DirectClientFactory::ssm(const client::Identity& identity,
                                                            const api::Region& region) {
  return std::make_unique<DirectSsm>(*this, identity, region);
}

sim::Result<api::Principal> DirectClientFactory::authenticate(const client::Identity& identity,
                                                              ServiceFamily family,
                                                              sim::Instant* expires_at) const {
  *expires_at = sim::Instant::max();
  if (identity.is_service()) {
    // Trusted: in-process, only the composition root makes service identities. Anything that
    // does not look like a service principal is refused rather than trusted.
    const std::string& name = identity.service_name();
    if (name.size() <= kServicePrincipalSuffix.size() || !name.ends_with(kServicePrincipalSuffix)) {
      return unknown_key(family);
    }
    return api::Principal::service(name);
  }
  const client::Credentials& c = identity.credentials();
  sim::Result<mock_aws::sts::ResolvedAccessKey> resolved =
      models_.sts.resolve_access_key(c.access_key_id);
  if (!resolved.ok()) {
    return resolved.error().code == mock_aws::sts::StsModel::kExpiredTokenCode
               ? expired(family)
               : unknown_key(family);
  }
  using Kind = mock_aws::sts::ResolvedAccessKey::Kind;
  if (resolved->kind != Kind::kAccountIdAlias) {
    // Deviation from AWS: no signature is computed in-process; the secret itself is compared.
    if (resolved->secret_access_key != c.secret_access_key) {
      return bad_signature(family);
    }
    if (resolved->requires_session_token && resolved->session_token != c.session_token) {
      return unknown_key(family);
    }
  }
  if (resolved->expires_at.has_value()) {
    *expires_at = *resolved->expires_at;
  }
  return std::move(resolved).value().principal;
}

void DirectClientFactory::next_request_id(std::string& out) {
  constexpr char kDigits[] = "0123456789abcdef";
  const uint64_t hi = request_ids_.next_u64();
  const uint64_t lo = request_ids_.next_u64();
  out.resize(36);
  std::size_t pos = 0;
  for (int i = 0; i < 32; ++i) {
    if (i == 8 || i == 12 || i == 16 || i == 20) {
      out[pos++] = '-';
    }
    const uint64_t word = i < 16 ? hi : lo;
    const auto shift = static_cast<unsigned>((15 - (i % 16)) * 4);
    out[pos++] = kDigits[(word >> shift) & 0xfU];
  }
}

// ---- DirectSession ---------------------------------------------------------------------------

DirectSession::DirectSession(DirectClientFactory& factory,
                             client::Identity identity,
                             api::Region region,
                             ServiceFamily family)
    : factory_(factory), identity_(std::move(identity)), family_(family) {
  call_.region = std::move(region);
  if (!identity_.is_service()) {
    call_.access_key_id = identity_.credentials().access_key_id;
  }
}

sim::Result<const api::CallContext*> DirectSession::next_call() {
  sim::Context& ctx = factory_.ctx();
  const uint64_t generation = factory_.models().iam.generation();
  if (!authenticated_ || generation != iam_generation_ || ctx.now() >= expires_at_) {
    authenticated_ = false;
    sim::Result<api::Principal> principal = factory_.authenticate(identity_, family_, &expires_at_);
    if (!principal.ok()) {
      return principal.error();
    }
    call_.principal = std::move(principal).value();
    iam_generation_ = generation;
    authenticated_ = true;
  }
  factory_.next_request_id(call_.request_id);
  call_.request_unix_ms = ctx.unix_ms();
  return &call_;
}

}  // namespace ibsim::scenario

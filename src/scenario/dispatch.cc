#include "src/scenario/dispatch.h"

#include <array>
#include <string>
#include <utility>

#include "mock_aws/protocol/codec.h"
#include "mock_aws/protocol/mapping/mapping.h"

namespace ibsim::scenario {
namespace {

namespace api = mock_aws::api;
namespace ec2 = mock_aws::ec2;
namespace iam = mock_aws::iam;
namespace imagebuilder = mock_aws::imagebuilder;
namespace kms = mock_aws::kms;
namespace mapping = mock_aws::protocol::mapping;
namespace ssm = mock_aws::ssm;
namespace sts = mock_aws::sts;
using mock_aws::protocol::Document;
using mock_aws::protocol::ServiceId;

// IAM is global and signs for us-east-1 (aws-facts §5.6).
constexpr std::string_view kIamRegion = "us-east-1";

using CallFn = sim::Result<Document> (*)(mock_aws::services::World&,
                                         const api::CallContext&,
                                         const Document&);

struct Row {
  ServiceId service;
  std::string_view operation;
  CallFn call;
};

// One row per operation: decode the Document into the typed input, call the model, encode.
#define IBSIM_ROW(service, op, getter, Model, method)                                    \
  Row {                                                                                  \
    ServiceId::service, #op,                                                             \
        [](mock_aws::services::World& w, const api::CallContext& c, const Document& d) { \
          return mapping::call<&Model::method>(w.getter(), c, d);                        \
        }                                                                                \
  }

#define IBSIM_ROW_AS(service, op, getter, Model, method, Out, In)                           \
  Row {                                                                                     \
    ServiceId::service, #op,                                                                \
        [](mock_aws::services::World& w, const api::CallContext& c, const Document& d) {    \
          constexpr auto kMethod =                                                          \
              static_cast<sim::Result<Out> (Model::*)(const api::CallContext&, const In&)>( \
                  &Model::method);                                                          \
          return mapping::call<kMethod>(w.getter(), c, d);                                  \
        }                                                                                   \
  }

const auto kRows = std::to_array<Row>({
    IBSIM_ROW(kImageBuilder,
              CreateImageRecipe,
              imagebuilder,
              imagebuilder::ImageBuilderModel,
              create_image_recipe),
    IBSIM_ROW(kImageBuilder,
              GetImageRecipe,
              imagebuilder,
              imagebuilder::ImageBuilderModel,
              get_image_recipe),
    IBSIM_ROW(kImageBuilder,
              ListImageRecipes,
              imagebuilder,
              imagebuilder::ImageBuilderModel,
              list_image_recipes),
    IBSIM_ROW(kImageBuilder,
              DeleteImageRecipe,
              imagebuilder,
              imagebuilder::ImageBuilderModel,
              delete_image_recipe),
    IBSIM_ROW(kImageBuilder,
              CreateInfrastructureConfiguration,
              imagebuilder,
              imagebuilder::ImageBuilderModel,
              create_infrastructure_configuration),
    IBSIM_ROW(kImageBuilder,
              GetInfrastructureConfiguration,
              imagebuilder,
              imagebuilder::ImageBuilderModel,
              get_infrastructure_configuration),
    IBSIM_ROW(kImageBuilder,
              ListInfrastructureConfigurations,
              imagebuilder,
              imagebuilder::ImageBuilderModel,
              list_infrastructure_configurations),
    IBSIM_ROW(kImageBuilder,
              DeleteInfrastructureConfiguration,
              imagebuilder,
              imagebuilder::ImageBuilderModel,
              delete_infrastructure_configuration),
    IBSIM_ROW(kImageBuilder,
              CreateDistributionConfiguration,
              imagebuilder,
              imagebuilder::ImageBuilderModel,
              create_distribution_configuration),
    IBSIM_ROW(kImageBuilder,
              GetDistributionConfiguration,
              imagebuilder,
              imagebuilder::ImageBuilderModel,
              get_distribution_configuration),
    IBSIM_ROW(kImageBuilder,
              ListDistributionConfigurations,
              imagebuilder,
              imagebuilder::ImageBuilderModel,
              list_distribution_configurations),
    IBSIM_ROW(kImageBuilder,
              UpdateDistributionConfiguration,
              imagebuilder,
              imagebuilder::ImageBuilderModel,
              update_distribution_configuration),
    IBSIM_ROW(kImageBuilder,
              DeleteDistributionConfiguration,
              imagebuilder,
              imagebuilder::ImageBuilderModel,
              delete_distribution_configuration),
    IBSIM_ROW(
        kImageBuilder, CreateImage, imagebuilder, imagebuilder::ImageBuilderModel, create_image),
    IBSIM_ROW(kImageBuilder, GetImage, imagebuilder, imagebuilder::ImageBuilderModel, get_image),
    IBSIM_ROW(
        kImageBuilder, ListImages, imagebuilder, imagebuilder::ImageBuilderModel, list_images),
    IBSIM_ROW(kImageBuilder,
              ListImageBuildVersions,
              imagebuilder,
              imagebuilder::ImageBuilderModel,
              list_image_build_versions),
    IBSIM_ROW(kImageBuilder,
              CancelImageCreation,
              imagebuilder,
              imagebuilder::ImageBuilderModel,
              cancel_image_creation),
    IBSIM_ROW(
        kImageBuilder, DeleteImage, imagebuilder, imagebuilder::ImageBuilderModel, delete_image),
    IBSIM_ROW(kImageBuilder,
              CreateImagePipeline,
              imagebuilder,
              imagebuilder::ImageBuilderModel,
              create_image_pipeline),
    IBSIM_ROW(kImageBuilder,
              GetImagePipeline,
              imagebuilder,
              imagebuilder::ImageBuilderModel,
              get_image_pipeline),
    IBSIM_ROW(kImageBuilder,
              ListImagePipelines,
              imagebuilder,
              imagebuilder::ImageBuilderModel,
              list_image_pipelines),
    IBSIM_ROW(kImageBuilder,
              DeleteImagePipeline,
              imagebuilder,
              imagebuilder::ImageBuilderModel,
              delete_image_pipeline),
    IBSIM_ROW(kImageBuilder,
              StartImagePipelineExecution,
              imagebuilder,
              imagebuilder::ImageBuilderModel,
              start_image_pipeline_execution),
    IBSIM_ROW(kImageBuilder,
              DistributeImage,
              imagebuilder,
              imagebuilder::ImageBuilderModel,
              distribute_image),
    IBSIM_ROW(
        kImageBuilder, RetryImage, imagebuilder, imagebuilder::ImageBuilderModel, retry_image),
    IBSIM_ROW(kImageBuilder,
              CreateComponent,
              imagebuilder,
              imagebuilder::ImageBuilderModel,
              create_component),
    IBSIM_ROW(
        kImageBuilder, GetComponent, imagebuilder, imagebuilder::ImageBuilderModel, get_component),
    IBSIM_ROW(kImageBuilder,
              ListComponents,
              imagebuilder,
              imagebuilder::ImageBuilderModel,
              list_components),
    IBSIM_ROW(kEc2, RegisterImage, ec2, ec2::Ec2Model, register_image),
    IBSIM_ROW(kEc2, DescribeImages, ec2, ec2::Ec2Model, describe_images),
    IBSIM_ROW(kEc2, DeregisterImage, ec2, ec2::Ec2Model, deregister_image),
    IBSIM_ROW(kEc2, CopyImage, ec2, ec2::Ec2Model, copy_image),
    IBSIM_ROW(kEc2, CreateTags, ec2, ec2::Ec2Model, create_tags),
    IBSIM_ROW(kEc2, DeleteTags, ec2, ec2::Ec2Model, delete_tags),
    IBSIM_ROW(kEc2, DescribeTags, ec2, ec2::Ec2Model, describe_tags),
    IBSIM_ROW(kEc2, ModifyImageAttribute, ec2, ec2::Ec2Model, modify_image_attribute),
    IBSIM_ROW(kEc2, DescribeImageAttribute, ec2, ec2::Ec2Model, describe_image_attribute),
    IBSIM_ROW(kEc2, ResetImageAttribute, ec2, ec2::Ec2Model, reset_image_attribute),
    IBSIM_ROW(kEc2, DescribeSnapshots, ec2, ec2::Ec2Model, describe_snapshots),
    IBSIM_ROW(kEc2, ModifySnapshotAttribute, ec2, ec2::Ec2Model, modify_snapshot_attribute),
    IBSIM_ROW(kEc2, DescribeSnapshotAttribute, ec2, ec2::Ec2Model, describe_snapshot_attribute),
    IBSIM_ROW(kEc2, DeleteSnapshot, ec2, ec2::Ec2Model, delete_snapshot),
    IBSIM_ROW(kEc2, GetEbsEncryptionByDefault, ec2, ec2::Ec2Model, get_ebs_encryption_by_default),
    IBSIM_ROW(
        kEc2, EnableEbsEncryptionByDefault, ec2, ec2::Ec2Model, enable_ebs_encryption_by_default),
    IBSIM_ROW(
        kEc2, DisableEbsEncryptionByDefault, ec2, ec2::Ec2Model, disable_ebs_encryption_by_default),
    IBSIM_ROW(kEc2, GetEbsDefaultKmsKeyId, ec2, ec2::Ec2Model, get_ebs_default_kms_key_id),
    IBSIM_ROW(kEc2, ModifyEbsDefaultKmsKeyId, ec2, ec2::Ec2Model, modify_ebs_default_kms_key_id),
    IBSIM_ROW(kEc2, CreateLaunchTemplate, ec2, ec2::Ec2Model, create_launch_template),
    IBSIM_ROW(
        kEc2, CreateLaunchTemplateVersion, ec2, ec2::Ec2Model, create_launch_template_version),
    IBSIM_ROW(kEc2, ModifyLaunchTemplate, ec2, ec2::Ec2Model, modify_launch_template),
    IBSIM_ROW(kEc2, DescribeLaunchTemplates, ec2, ec2::Ec2Model, describe_launch_templates),
    IBSIM_ROW(kEc2,
              DescribeLaunchTemplateVersions,
              ec2,
              ec2::Ec2Model,
              describe_launch_template_versions),
    IBSIM_ROW(kEc2, DeleteLaunchTemplate, ec2, ec2::Ec2Model, delete_launch_template),
    IBSIM_ROW(kEc2, RunInstances, ec2, ec2::Ec2Model, run_instances),
    IBSIM_ROW(kEc2, DescribeInstances, ec2, ec2::Ec2Model, describe_instances),
    IBSIM_ROW(kKms, CreateKey, kms, kms::KmsModel, create_key),
    // KmsModel overloads these names (EbsKeyService): name the API member explicitly.
    IBSIM_ROW_AS(kKms,
                 DescribeKey,
                 kms,
                 kms::KmsModel,
                 describe_key,
                 api::kms::DescribeKeyOutput,
                 api::kms::DescribeKeyInput),
    IBSIM_ROW(kKms, ListKeys, kms, kms::KmsModel, list_keys),
    IBSIM_ROW(kKms, CreateAlias, kms, kms::KmsModel, create_alias),
    IBSIM_ROW(kKms, UpdateAlias, kms, kms::KmsModel, update_alias),
    IBSIM_ROW(kKms, DeleteAlias, kms, kms::KmsModel, delete_alias),
    IBSIM_ROW(kKms, ListAliases, kms, kms::KmsModel, list_aliases),
    IBSIM_ROW(kKms, EnableKey, kms, kms::KmsModel, enable_key),
    IBSIM_ROW(kKms, DisableKey, kms, kms::KmsModel, disable_key),
    IBSIM_ROW(kKms, ScheduleKeyDeletion, kms, kms::KmsModel, schedule_key_deletion),
    IBSIM_ROW(kKms, CancelKeyDeletion, kms, kms::KmsModel, cancel_key_deletion),
    IBSIM_ROW(kKms, PutKeyPolicy, kms, kms::KmsModel, put_key_policy),
    IBSIM_ROW(kKms, GetKeyPolicy, kms, kms::KmsModel, get_key_policy),
    IBSIM_ROW(kKms, ListKeyPolicies, kms, kms::KmsModel, list_key_policies),
    IBSIM_ROW(kKms, TagResource, kms, kms::KmsModel, tag_resource),
    IBSIM_ROW(kKms, UntagResource, kms, kms::KmsModel, untag_resource),
    IBSIM_ROW(kKms, ListResourceTags, kms, kms::KmsModel, list_resource_tags),
    IBSIM_ROW(kKms, Encrypt, kms, kms::KmsModel, encrypt),
    IBSIM_ROW(kKms, Decrypt, kms, kms::KmsModel, decrypt),
    IBSIM_ROW(kKms, ReEncrypt, kms, kms::KmsModel, re_encrypt),
    IBSIM_ROW_AS(kKms,
                 GenerateDataKey,
                 kms,
                 kms::KmsModel,
                 generate_data_key,
                 api::kms::GenerateDataKeyOutput,
                 api::kms::GenerateDataKeyInput),
    IBSIM_ROW(kKms,
              GenerateDataKeyWithoutPlaintext,
              kms,
              kms::KmsModel,
              generate_data_key_without_plaintext),
    IBSIM_ROW(kKms, CreateGrant, kms, kms::KmsModel, create_grant),
    IBSIM_ROW(kKms, ListGrants, kms, kms::KmsModel, list_grants),
    IBSIM_ROW(kKms, ListRetirableGrants, kms, kms::KmsModel, list_retirable_grants),
    IBSIM_ROW(kKms, RetireGrant, kms, kms::KmsModel, retire_grant),
    IBSIM_ROW(kKms, RevokeGrant, kms, kms::KmsModel, revoke_grant),
    IBSIM_ROW(kIam, CreateRole, iam, iam::IamModel, create_role),
    IBSIM_ROW(kIam, GetRole, iam, iam::IamModel, get_role),
    IBSIM_ROW(kIam, DeleteRole, iam, iam::IamModel, delete_role),
    IBSIM_ROW(kIam, ListRoles, iam, iam::IamModel, list_roles),
    IBSIM_ROW(kIam, UpdateAssumeRolePolicy, iam, iam::IamModel, update_assume_role_policy),
    IBSIM_ROW(kIam, TagRole, iam, iam::IamModel, tag_role),
    IBSIM_ROW(kIam, PutRolePolicy, iam, iam::IamModel, put_role_policy),
    IBSIM_ROW(kIam, GetRolePolicy, iam, iam::IamModel, get_role_policy),
    IBSIM_ROW(kIam, DeleteRolePolicy, iam, iam::IamModel, delete_role_policy),
    IBSIM_ROW(kIam, ListRolePolicies, iam, iam::IamModel, list_role_policies),
    IBSIM_ROW(kIam, AttachRolePolicy, iam, iam::IamModel, attach_role_policy),
    IBSIM_ROW(kIam, DetachRolePolicy, iam, iam::IamModel, detach_role_policy),
    IBSIM_ROW(kIam, ListAttachedRolePolicies, iam, iam::IamModel, list_attached_role_policies),
    IBSIM_ROW(kIam, CreatePolicy, iam, iam::IamModel, create_policy),
    IBSIM_ROW(kIam, GetPolicy, iam, iam::IamModel, get_policy),
    IBSIM_ROW(kIam, CreatePolicyVersion, iam, iam::IamModel, create_policy_version),
    IBSIM_ROW(kIam, GetPolicyVersion, iam, iam::IamModel, get_policy_version),
    IBSIM_ROW(kIam, DeletePolicy, iam, iam::IamModel, delete_policy),
    IBSIM_ROW(kIam, CreateUser, iam, iam::IamModel, create_user),
    IBSIM_ROW(kIam, GetUser, iam, iam::IamModel, get_user),
    IBSIM_ROW(kIam, CreateAccessKey, iam, iam::IamModel, create_access_key),
    IBSIM_ROW(kIam, ListUsers, iam, iam::IamModel, list_users),
    IBSIM_ROW(kIam, DeleteUser, iam, iam::IamModel, delete_user),
    IBSIM_ROW(kIam, ListAccessKeys, iam, iam::IamModel, list_access_keys),
    IBSIM_ROW(kIam, DeleteAccessKey, iam, iam::IamModel, delete_access_key),
    IBSIM_ROW(kIam, UpdateAccessKey, iam, iam::IamModel, update_access_key),
    IBSIM_ROW(kIam, PutUserPolicy, iam, iam::IamModel, put_user_policy),
    IBSIM_ROW(kIam, GetUserPolicy, iam, iam::IamModel, get_user_policy),
    IBSIM_ROW(kIam, DeleteUserPolicy, iam, iam::IamModel, delete_user_policy),
    IBSIM_ROW(kIam, ListUserPolicies, iam, iam::IamModel, list_user_policies),
    IBSIM_ROW(kIam, AttachUserPolicy, iam, iam::IamModel, attach_user_policy),
    IBSIM_ROW(kIam, DetachUserPolicy, iam, iam::IamModel, detach_user_policy),
    IBSIM_ROW(kIam, ListAttachedUserPolicies, iam, iam::IamModel, list_attached_user_policies),
    IBSIM_ROW(kIam, CreateInstanceProfile, iam, iam::IamModel, create_instance_profile),
    IBSIM_ROW(kIam, AddRoleToInstanceProfile, iam, iam::IamModel, add_role_to_instance_profile),
    IBSIM_ROW(kIam, GetInstanceProfile, iam, iam::IamModel, get_instance_profile),
    IBSIM_ROW(kIam, DeleteInstanceProfile, iam, iam::IamModel, delete_instance_profile),
    IBSIM_ROW(kIam,
              RemoveRoleFromInstanceProfile,
              iam,
              iam::IamModel,
              remove_role_from_instance_profile),
    IBSIM_ROW(kSts, AssumeRole, sts, sts::StsModel, assume_role),
    IBSIM_ROW(kSts, GetCallerIdentity, sts, sts::StsModel, get_caller_identity),
    IBSIM_ROW(kSts, DecodeAuthorizationMessage, sts, sts::StsModel, decode_authorization_message),
    IBSIM_ROW(kSsm, PutParameter, ssm, ssm::SsmModel, put_parameter),
    IBSIM_ROW(kSsm, GetParameter, ssm, ssm::SsmModel, get_parameter),
    IBSIM_ROW(kSsm, GetParameters, ssm, ssm::SsmModel, get_parameters),
    IBSIM_ROW(kSsm, DeleteParameter, ssm, ssm::SsmModel, delete_parameter),
});

#undef IBSIM_ROW
#undef IBSIM_ROW_AS

const Row* find_row(ServiceId service, std::string_view operation) {
  for (const Row& row : kRows) {
    if (row.service == service && row.operation == operation) {
      return &row;
    }
  }
  return nullptr;
}

// The protocol family whose words an authentication failure uses (aws-facts §6.2).
// Unconfirmed: Image Builder (REST-JSON) is given the JSON family's wording.
ServiceFamily family_of(ServiceId service) {
  switch (service) {
    case ServiceId::kEc2:
      return ServiceFamily::kEc2;
    case ServiceId::kIam:
    case ServiceId::kSts:
      return ServiceFamily::kQuery;
    case ServiceId::kKms:
    case ServiceId::kSsm:
    case ServiceId::kImageBuilder:
      return ServiceFamily::kJson;
  }
  return ServiceFamily::kJson;
}

}  // namespace

std::vector<std::string_view> dispatchable_operations(ServiceId service) {
  std::vector<std::string_view> out;
  for (const Row& row : kRows) {
    if (row.service == service) {
      out.push_back(row.operation);
    }
  }
  return out;
}

InProcessDispatcher::InProcessDispatcher(mock_aws::services::World& world,
                                         DirectClientFactory& auth)
    : world_(world),
      auth_(auth),
      request_ids_(world.context().rng().fork("scenario.dispatch.request_ids")),
      tokens_(world.context().rng().fork("scenario.dispatch.client_tokens")) {}

bool InProcessDispatcher::supports(ServiceId service, std::string_view operation) const {
  return find_row(service, operation) != nullptr
         && mock_aws::protocol::find_operation(service, operation).has_value();
}

sim::Result<Document> InProcessDispatcher::call(const CallRequest& request) {
  const Row* row = find_row(request.service, request.operation);
  const std::optional<mock_aws::protocol::OperationRef> op =
      mock_aws::protocol::find_operation(request.service, request.operation);
  IBSIM_ASSERT(row != nullptr && op.has_value(),
               "the scenario loader only accepts operations the dispatcher supports");
  sim::Instant expires_at;
  sim::Result<api::Principal> principal =
      auth_.authenticate(request.identity, family_of(request.service), &expires_at);
  if (!principal.ok()) {
    return principal.error();
  }
  api::CallContext call;
  call.principal = std::move(principal).value();
  call.region =
      request.service == ServiceId::kIam ? api::Region::from_known(kIamRegion) : request.region;
  call.request_id = next_uuid(request_ids_);
  if (!request.identity.is_service()) {
    call.access_key_id = request.identity.credentials().access_key_id;
  }
  call.request_unix_ms = world_.context().unix_ms();
  // As the CLI and SDKs do: an absent idempotency token gets a fresh one (from a seeded stream).
  Document input = request.input;
  mock_aws::protocol::fill_idempotency_tokens(*op, input, [this] { return next_uuid(tokens_); });
  if (sim::Status s = mock_aws::protocol::validate_input(*op, input); !s.ok()) {
    return s.error();
  }
  return row->call(world_, call, input);
}

std::string InProcessDispatcher::next_uuid(sim::Rng& rng) {
  constexpr char kDigits[] = "0123456789abcdef";
  const uint64_t hi = rng.next_u64();
  const uint64_t lo = rng.next_u64();
  std::string out(36, '-');
  std::size_t pos = 0;
  for (int i = 0; i < 32; ++i) {
    if (i == 8 || i == 12 || i == 16 || i == 20) {
      ++pos;
    }
    const uint64_t word = i < 16 ? hi : lo;
    const auto shift = static_cast<unsigned>((15 - (i % 16)) * 4);
    out[pos++] = kDigits[(word >> shift) & 0xfU];
  }
  return out;
}

}  // namespace ibsim::scenario

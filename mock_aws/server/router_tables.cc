// The router's dispatch tables: one row per operation of scripts/shapes/operations.txt, naming
// the model method that serves it. A row whose method the model does not (yet) have compiles to
// a null handler, which the router answers with the protocol's unknown-operation error, so a model
// can grow operations without touching this file's shape. EC2 DescribeRegions has no typed
// api::ec2 shapes (and no model method) and is not routed.
//
// Rows call the model by overload resolution rather than through a member pointer
// (mapping::call<&Model::method>): a few KMS methods are overloaded (describe_key,
// generate_data_key), which a member pointer cannot name without a cast. Either way the row is
// mapping::Operation<In, Out>::decode_input -> model -> encode_output.
#include "mock_aws/server/router_tables.h"

#include <concepts>
#include <span>
#include <type_traits>
#include <utility>

#include "mock_aws/api/ec2_types.h"
#include "mock_aws/api/iam_types.h"
#include "mock_aws/api/imagebuilder_types.h"
#include "mock_aws/api/kms_types.h"
#include "mock_aws/api/ssm_types.h"
#include "mock_aws/api/sts_types.h"
#include "mock_aws/protocol/mapping/mapping.h"

namespace ibsim::mock_aws::server::internal {
namespace {

using protocol::Document;

template <typename In, typename Out, typename Call>
sim::Result<Document> call_model(const Document& input, const Call& call) {
  using Mapping = protocol::mapping::Operation<In, Out>;
  sim::Result<In> typed = Mapping::decode_input(input);
  if (!typed.ok()) {
    return typed.error();
  }
  sim::Result<Out> output = call(*typed);
  if (!output.ok()) {
    return output.error();
  }
  return Mapping::encode_output(*output);
}

template <typename Model, typename Select>
constexpr Router::Handler handler_if_implemented(Select select) {
  return select(static_cast<Model*>(nullptr));
}

// The model type behind World::svc().
#define IBSIM_MODEL_OF(svc) \
  std::remove_reference_t<decltype(std::declval<services::World&>().svc())>

// {"Op", handler}: the handler when IBSIM_MODEL_OF(svc) has `Result<OpOutput> method(const
// CallContext&, const OpInput&)`, else nullptr.
#define IBSIM_ROUTE(svc, Op, method)                                                          \
  Route {                                                                                     \
#Op, handler_if_implemented                                                               \
             < IBSIM_MODEL_OF(svc)>([] <typename Model>(Model*) -> Router::Handler {          \
                 using In = api::svc::Op##Input;                                              \
                 using Out = api::svc::Op##Output;                                            \
                 if constexpr (requires(Model & m, const api::CallContext& c, const In& in) { \
                                 { m.method(c, in) } -> std::same_as<sim::Result<Out>>;       \
                               }) {                                                           \
                   return [](services::World& world,                                          \
                             const api::CallContext& ctx,                                     \
                             const Document& input) -> sim::Result<Document> {                \
                     return call_model<In, Out>(                                              \
                         input, [&](const In& in) { return world.svc().method(ctx, in); });   \
                   };                                                                         \
                 } else {                                                                     \
                   return nullptr;                                                            \
                 }                                                                            \
               })                                                                             \
  }

constexpr Route kImagebuilderRoutes[] = {
    IBSIM_ROUTE(imagebuilder, CreateImageRecipe, create_image_recipe),
    IBSIM_ROUTE(imagebuilder, GetImageRecipe, get_image_recipe),
    IBSIM_ROUTE(imagebuilder, ListImageRecipes, list_image_recipes),
    IBSIM_ROUTE(imagebuilder, DeleteImageRecipe, delete_image_recipe),
    IBSIM_ROUTE(
        imagebuilder, CreateInfrastructureConfiguration, create_infrastructure_configuration),
    IBSIM_ROUTE(imagebuilder, GetInfrastructureConfiguration, get_infrastructure_configuration),
    IBSIM_ROUTE(imagebuilder, ListInfrastructureConfigurations, list_infrastructure_configurations),
    IBSIM_ROUTE(
        imagebuilder, DeleteInfrastructureConfiguration, delete_infrastructure_configuration),
    IBSIM_ROUTE(imagebuilder, CreateDistributionConfiguration, create_distribution_configuration),
    IBSIM_ROUTE(imagebuilder, GetDistributionConfiguration, get_distribution_configuration),
    IBSIM_ROUTE(imagebuilder, ListDistributionConfigurations, list_distribution_configurations),
    IBSIM_ROUTE(imagebuilder, UpdateDistributionConfiguration, update_distribution_configuration),
    IBSIM_ROUTE(imagebuilder, DeleteDistributionConfiguration, delete_distribution_configuration),
    IBSIM_ROUTE(imagebuilder, CreateImage, create_image),
    IBSIM_ROUTE(imagebuilder, GetImage, get_image),
    IBSIM_ROUTE(imagebuilder, ListImages, list_images),
    IBSIM_ROUTE(imagebuilder, ListImageBuildVersions, list_image_build_versions),
    IBSIM_ROUTE(imagebuilder, CancelImageCreation, cancel_image_creation),
    IBSIM_ROUTE(imagebuilder, DeleteImage, delete_image),
    IBSIM_ROUTE(imagebuilder, CreateImagePipeline, create_image_pipeline),
    IBSIM_ROUTE(imagebuilder, GetImagePipeline, get_image_pipeline),
    IBSIM_ROUTE(imagebuilder, ListImagePipelines, list_image_pipelines),
    IBSIM_ROUTE(imagebuilder, DeleteImagePipeline, delete_image_pipeline),
    IBSIM_ROUTE(imagebuilder, StartImagePipelineExecution, start_image_pipeline_execution),
    IBSIM_ROUTE(imagebuilder, DistributeImage, distribute_image),
    IBSIM_ROUTE(imagebuilder, RetryImage, retry_image),
    IBSIM_ROUTE(imagebuilder, CreateComponent, create_component),
    IBSIM_ROUTE(imagebuilder, GetComponent, get_component),
    IBSIM_ROUTE(imagebuilder, ListComponents, list_components),
};

constexpr Route kEc2Routes[] = {
    IBSIM_ROUTE(ec2, RegisterImage, register_image),
    IBSIM_ROUTE(ec2, DescribeImages, describe_images),
    IBSIM_ROUTE(ec2, DeregisterImage, deregister_image),
    IBSIM_ROUTE(ec2, CopyImage, copy_image),
    IBSIM_ROUTE(ec2, CreateTags, create_tags),
    IBSIM_ROUTE(ec2, DeleteTags, delete_tags),
    IBSIM_ROUTE(ec2, DescribeTags, describe_tags),
    IBSIM_ROUTE(ec2, ModifyImageAttribute, modify_image_attribute),
    IBSIM_ROUTE(ec2, DescribeImageAttribute, describe_image_attribute),
    IBSIM_ROUTE(ec2, ResetImageAttribute, reset_image_attribute),
    IBSIM_ROUTE(ec2, DescribeSnapshots, describe_snapshots),
    IBSIM_ROUTE(ec2, ModifySnapshotAttribute, modify_snapshot_attribute),
    IBSIM_ROUTE(ec2, DescribeSnapshotAttribute, describe_snapshot_attribute),
    IBSIM_ROUTE(ec2, DeleteSnapshot, delete_snapshot),
    IBSIM_ROUTE(ec2, GetEbsEncryptionByDefault, get_ebs_encryption_by_default),
    IBSIM_ROUTE(ec2, EnableEbsEncryptionByDefault, enable_ebs_encryption_by_default),
    IBSIM_ROUTE(ec2, DisableEbsEncryptionByDefault, disable_ebs_encryption_by_default),
    IBSIM_ROUTE(ec2, GetEbsDefaultKmsKeyId, get_ebs_default_kms_key_id),
    IBSIM_ROUTE(ec2, ModifyEbsDefaultKmsKeyId, modify_ebs_default_kms_key_id),
    IBSIM_ROUTE(ec2, CreateLaunchTemplate, create_launch_template),
    IBSIM_ROUTE(ec2, CreateLaunchTemplateVersion, create_launch_template_version),
    IBSIM_ROUTE(ec2, ModifyLaunchTemplate, modify_launch_template),
    IBSIM_ROUTE(ec2, DescribeLaunchTemplates, describe_launch_templates),
    IBSIM_ROUTE(ec2, DescribeLaunchTemplateVersions, describe_launch_template_versions),
    IBSIM_ROUTE(ec2, DeleteLaunchTemplate, delete_launch_template),
    IBSIM_ROUTE(ec2, RunInstances, run_instances),
    IBSIM_ROUTE(ec2, DescribeInstances, describe_instances),
};

constexpr Route kKmsRoutes[] = {
    IBSIM_ROUTE(kms, CreateKey, create_key),
    IBSIM_ROUTE(kms, DescribeKey, describe_key),
    IBSIM_ROUTE(kms, ListKeys, list_keys),
    IBSIM_ROUTE(kms, CreateAlias, create_alias),
    IBSIM_ROUTE(kms, UpdateAlias, update_alias),
    IBSIM_ROUTE(kms, DeleteAlias, delete_alias),
    IBSIM_ROUTE(kms, ListAliases, list_aliases),
    IBSIM_ROUTE(kms, EnableKey, enable_key),
    IBSIM_ROUTE(kms, DisableKey, disable_key),
    IBSIM_ROUTE(kms, ScheduleKeyDeletion, schedule_key_deletion),
    IBSIM_ROUTE(kms, CancelKeyDeletion, cancel_key_deletion),
    IBSIM_ROUTE(kms, PutKeyPolicy, put_key_policy),
    IBSIM_ROUTE(kms, GetKeyPolicy, get_key_policy),
    IBSIM_ROUTE(kms, ListKeyPolicies, list_key_policies),
    IBSIM_ROUTE(kms, TagResource, tag_resource),
    IBSIM_ROUTE(kms, UntagResource, untag_resource),
    IBSIM_ROUTE(kms, ListResourceTags, list_resource_tags),
    IBSIM_ROUTE(kms, Encrypt, encrypt),
    IBSIM_ROUTE(kms, Decrypt, decrypt),
    IBSIM_ROUTE(kms, ReEncrypt, re_encrypt),
    IBSIM_ROUTE(kms, GenerateDataKey, generate_data_key),
    IBSIM_ROUTE(kms, GenerateDataKeyWithoutPlaintext, generate_data_key_without_plaintext),
    IBSIM_ROUTE(kms, CreateGrant, create_grant),
    IBSIM_ROUTE(kms, ListGrants, list_grants),
    IBSIM_ROUTE(kms, ListRetirableGrants, list_retirable_grants),
    IBSIM_ROUTE(kms, RetireGrant, retire_grant),
    IBSIM_ROUTE(kms, RevokeGrant, revoke_grant),
};

constexpr Route kIamRoutes[] = {
    IBSIM_ROUTE(iam, CreateRole, create_role),
    IBSIM_ROUTE(iam, GetRole, get_role),
    IBSIM_ROUTE(iam, DeleteRole, delete_role),
    IBSIM_ROUTE(iam, ListRoles, list_roles),
    IBSIM_ROUTE(iam, UpdateAssumeRolePolicy, update_assume_role_policy),
    IBSIM_ROUTE(iam, TagRole, tag_role),
    IBSIM_ROUTE(iam, PutRolePolicy, put_role_policy),
    IBSIM_ROUTE(iam, GetRolePolicy, get_role_policy),
    IBSIM_ROUTE(iam, DeleteRolePolicy, delete_role_policy),
    IBSIM_ROUTE(iam, ListRolePolicies, list_role_policies),
    IBSIM_ROUTE(iam, AttachRolePolicy, attach_role_policy),
    IBSIM_ROUTE(iam, DetachRolePolicy, detach_role_policy),
    IBSIM_ROUTE(iam, ListAttachedRolePolicies, list_attached_role_policies),
    IBSIM_ROUTE(iam, CreatePolicy, create_policy),
    IBSIM_ROUTE(iam, GetPolicy, get_policy),
    IBSIM_ROUTE(iam, CreatePolicyVersion, create_policy_version),
    IBSIM_ROUTE(iam, GetPolicyVersion, get_policy_version),
    IBSIM_ROUTE(iam, DeletePolicy, delete_policy),
    IBSIM_ROUTE(iam, CreateUser, create_user),
    IBSIM_ROUTE(iam, GetUser, get_user),
    IBSIM_ROUTE(iam, CreateAccessKey, create_access_key),
    IBSIM_ROUTE(iam, ListUsers, list_users),
    IBSIM_ROUTE(iam, DeleteUser, delete_user),
    IBSIM_ROUTE(iam, ListAccessKeys, list_access_keys),
    IBSIM_ROUTE(iam, DeleteAccessKey, delete_access_key),
    IBSIM_ROUTE(iam, UpdateAccessKey, update_access_key),
    IBSIM_ROUTE(iam, PutUserPolicy, put_user_policy),
    IBSIM_ROUTE(iam, GetUserPolicy, get_user_policy),
    IBSIM_ROUTE(iam, DeleteUserPolicy, delete_user_policy),
    IBSIM_ROUTE(iam, ListUserPolicies, list_user_policies),
    IBSIM_ROUTE(iam, AttachUserPolicy, attach_user_policy),
    IBSIM_ROUTE(iam, DetachUserPolicy, detach_user_policy),
    IBSIM_ROUTE(iam, ListAttachedUserPolicies, list_attached_user_policies),
    IBSIM_ROUTE(iam, CreateInstanceProfile, create_instance_profile),
    IBSIM_ROUTE(iam, AddRoleToInstanceProfile, add_role_to_instance_profile),
    IBSIM_ROUTE(iam, GetInstanceProfile, get_instance_profile),
    IBSIM_ROUTE(iam, DeleteInstanceProfile, delete_instance_profile),
    IBSIM_ROUTE(iam, RemoveRoleFromInstanceProfile, remove_role_from_instance_profile),
};

constexpr Route kStsRoutes[] = {
    IBSIM_ROUTE(sts, AssumeRole, assume_role),
    IBSIM_ROUTE(sts, GetCallerIdentity, get_caller_identity),
    IBSIM_ROUTE(sts, DecodeAuthorizationMessage, decode_authorization_message),
};

constexpr Route kSsmRoutes[] = {
    IBSIM_ROUTE(ssm, PutParameter, put_parameter),
    IBSIM_ROUTE(ssm, GetParameter, get_parameter),
    IBSIM_ROUTE(ssm, GetParameters, get_parameters),
    IBSIM_ROUTE(ssm, DeleteParameter, delete_parameter),
};
#undef IBSIM_ROUTE
#undef IBSIM_MODEL_OF

}  // namespace

std::span<const Route> routes(protocol::ServiceId service) {
  switch (service) {
    case protocol::ServiceId::kImageBuilder:
      return kImagebuilderRoutes;
    case protocol::ServiceId::kEc2:
      return kEc2Routes;
    case protocol::ServiceId::kKms:
      return kKmsRoutes;
    case protocol::ServiceId::kIam:
      return kIamRoutes;
    case protocol::ServiceId::kSts:
      return kStsRoutes;
    case protocol::ServiceId::kSsm:
      return kSsmRoutes;
  }
  return {};
}

}  // namespace ibsim::mock_aws::server::internal

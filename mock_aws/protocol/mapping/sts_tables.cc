// The STS field tables: every api::sts struct an operation reaches, each C++ member
// with its botocore member name; and the STS operations mapped (Operation<In, Out>).

#include "mock_aws/api/sts_types.h"
#include "mock_aws/protocol/mapping/shape_table.h"

namespace ibsim::mock_aws::protocol::mapping {
namespace {

constexpr ServiceId kTableService = ServiceId::kSts;

}  // namespace

IBSIM_SHAPE(api::sts::Tag, (key, "Key"), (value, "Value"));

IBSIM_SHAPE(api::sts::PolicyDescriptorType, (arn, "arn"));

IBSIM_SHAPE(api::sts::Credentials,
            (access_key_id, "AccessKeyId"),
            (secret_access_key, "SecretAccessKey"),
            (session_token, "SessionToken"),
            (expiration, "Expiration", kEpochMillis));

IBSIM_SHAPE(api::sts::AssumedRoleUser, (assumed_role_id, "AssumedRoleId"), (arn, "Arn"));

IBSIM_SHAPE(api::sts::AssumeRoleInput,
            (role_arn, "RoleArn"),
            (role_session_name, "RoleSessionName"),
            (policy_arns, "PolicyArns"),
            (policy, "Policy"),
            (duration_seconds, "DurationSeconds"),
            (tags, "Tags"),
            (transitive_tag_keys, "TransitiveTagKeys"),
            (external_id, "ExternalId"),
            (serial_number, "SerialNumber"),
            (token_code, "TokenCode"),
            (source_identity, "SourceIdentity"));

// PackedPolicySize is only sent when the request passed session policies or tags (0 otherwise).
IBSIM_SHAPE(api::sts::AssumeRoleOutput,
            (credentials, "Credentials"),
            (assumed_role_user, "AssumedRoleUser"),
            (packed_policy_size, "PackedPolicySize", kOmitDefault),
            (source_identity, "SourceIdentity"));

IBSIM_SHAPE(api::sts::GetCallerIdentityInput);

IBSIM_SHAPE(api::sts::GetCallerIdentityOutput,
            (user_id, "UserId"),
            (account, "Account"),
            (arn, "Arn"));

IBSIM_SHAPE(api::sts::DecodeAuthorizationMessageInput, (encoded_message, "EncodedMessage"));

IBSIM_SHAPE(api::sts::DecodeAuthorizationMessageOutput, (decoded_message, "DecodedMessage"));

IBSIM_MAPPING_OPERATIONS(
    sts_operations, sts, AssumeRole, GetCallerIdentity, DecodeAuthorizationMessage)

}  // namespace ibsim::mock_aws::protocol::mapping

// The SSM field tables: every api::ssm struct an operation reaches, each C++ member
// with its botocore member name; and the SSM operations mapped (Operation<In, Out>).

#include "mock_aws/api/ssm_types.h"
#include "mock_aws/protocol/mapping/shape_table.h"

namespace ibsim::mock_aws::protocol::mapping {
namespace {

constexpr ServiceId kTableService = ServiceId::kSsm;

}  // namespace

IBSIM_SHAPE(api::ssm::Tag, (key, "Key"), (value, "Value"));

IBSIM_SHAPE(api::ssm::Parameter,
            (name, "Name"),
            (type, "Type"),
            (value, "Value"),
            (version, "Version"),
            (selector, "Selector"),
            (source_result, "SourceResult"),
            (last_modified_date, "LastModifiedDate", kEpochMillis),
            (arn, "ARN"),
            (data_type, "DataType"));

IBSIM_SHAPE(api::ssm::PutParameterInput,
            (name, "Name"),
            (value, "Value"),
            (description, "Description"),
            (type, "Type"),
            (key_id, "KeyId"),
            (overwrite, "Overwrite"),
            (allowed_pattern, "AllowedPattern"),
            (tags, "Tags"),
            (tier, "Tier"),
            (policies, "Policies"),
            (data_type, "DataType"));

IBSIM_SHAPE(api::ssm::PutParameterOutput, (version, "Version"), (tier, "Tier"));

IBSIM_SHAPE(api::ssm::GetParameterInput, (name, "Name"), (with_decryption, "WithDecryption"));

IBSIM_SHAPE(api::ssm::GetParameterOutput, (parameter, "Parameter"));

IBSIM_SHAPE(api::ssm::GetParametersInput, (names, "Names"), (with_decryption, "WithDecryption"));

IBSIM_SHAPE(api::ssm::GetParametersOutput,
            (parameters, "Parameters"),
            (invalid_parameters, "InvalidParameters"));

IBSIM_SHAPE(api::ssm::DeleteParameterInput, (name, "Name"));

IBSIM_SHAPE(api::ssm::DeleteParameterOutput);

IBSIM_MAPPING_OPERATIONS(
    ssm_operations, ssm, PutParameter, GetParameter, GetParameters, DeleteParameter)

}  // namespace ibsim::mock_aws::protocol::mapping

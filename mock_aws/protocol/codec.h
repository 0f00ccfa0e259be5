#pragma once
// The wire codecs, one generic codec per protocol driven by the shape tables: EC2 query + XML
// (ec2), query + XML (iam, sts), JSON 1.1 (kms, ssm) and REST-JSON (imagebuilder). Server side:
// identify the operation, decode a request into a Document (document.h) and validate it, encode a
// Document or an AwsError as the service's response. Client side (the in-process wire transport
// and the HTTP transport): the reverse. Nothing here throws; bad input becomes the protocol's own
// error (README.md in this folder lists codes, texts and limits).

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

#include "mock_aws/protocol/document.h"
#include "mock_aws/protocol/http_message.h"
#include "mock_aws/protocol/shape_model.h"
#include "sim/base/result.h"

namespace ibsim::mock_aws::protocol {

// Bounds on what a decoder accepts. Bigger or deeper input is refused with the protocol's
// error, never processed. Deviation from AWS: these are ibsim's bounds, not AWS's (whose limits
// differ per service and are mostly undocumented); kMaxViolationsReported caps the list in a
// ValidationException message, which AWS does not.
inline constexpr std::size_t kMaxRequestBodyBytes = 2u << 20;
inline constexpr std::size_t kMaxResponseBodyBytes = 32u << 20;
inline constexpr std::size_t kMaxJsonDepth = 64;
inline constexpr std::size_t kMaxListItems = 10000;
inline constexpr std::size_t kMaxQueryParams = 10000;
inline constexpr std::size_t kMaxQueryNameSegments = 32;
inline constexpr std::size_t kMaxViolationsReported = 100;

struct DecodedRequest {
  OperationRef operation;
  Document input;  // a JSON object
};

struct DecodedResponse {
  Document output;  // a JSON object
  std::string request_id;
};

// ---- Server side.

// The operation a request asks for: the Action parameter (query protocols), X-Amz-Target
// (JSON 1.1) or method and path (REST-JSON). Unknown operations give the protocol's error.
sim::Result<OperationRef> identify_operation(ServiceId service, const HttpRequest& request);

// identify_operation, then the request's parameters as a Document, validated against the model
// (validate_input).
sim::Result<DecodedRequest> decode_request(ServiceId service, const HttpRequest& request);

// Checks a decoded input against the model: required members, lengths, ranges, patterns, enums,
// list and map sizes. Errors use the service's style (ValidationException for JSON services,
// ValidationError for IAM/STS, MissingParameter/InvalidParameterValue for EC2,
// InvalidParameterValueException for Image Builder).
sim::Status validate_input(const OperationRef& operation, const Document& input);

// A success response carrying `output` (members the model does not know are ignored). Fails
// only when `output` does not fit the model (a service bug: answer with encode_error).
sim::Result<HttpResponse> encode_response(const OperationRef& operation,
                                          const Document& output,
                                          std::string_view request_id);

// An error response in the service's protocol, with error.http_status.
HttpResponse encode_error(ServiceId service,
                          const sim::AwsError& error,
                          std::string_view request_id);

// ---- Client side.

// The request an SDK would send for `input` (method, target, Content-Type, X-Amz-Target, body);
// the transport adds Host, X-Amz-Date and the signature. Idempotency tokens are not invented
// here (fill_idempotency_tokens).
sim::Result<HttpRequest> encode_request(const OperationRef& operation, const Document& input);

// A response into the output Document, or its error (any status >= 300) into an AwsError with
// the service's code and message (namespace prefixes such as "aws#" stripped).
sim::Result<DecodedResponse> decode_response(const OperationRef& operation,
                                             const HttpResponse& response);

// Sets each absent top-level idempotency-token member of `input` to make_token(), as the SDKs
// do (the CLI's random clientToken in the golden requests).
void fill_idempotency_tokens(const OperationRef& operation,
                             Document& input,
                             const std::function<std::string()>& make_token);

}  // namespace ibsim::mock_aws::protocol

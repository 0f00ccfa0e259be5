#pragma once
// Internal to mock_aws/protocol: helpers the protocol codecs share (form encoding, timestamps,
// numbers, JSON text) and the per-protocol entry points codec.cc dispatches to. Not for use
// outside this folder.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "mock_aws/protocol/codec.h"

namespace ibsim::mock_aws::protocol::internal {

// ---- Form encoding (query strings and query-protocol bodies).

struct FormParam {
  std::string name;
  std::string value;
};

// Splits on '&' and the first '=', percent-decodes both sides ('+' is a space). Errors:
// MalformedQueryString (bad escape, invalid UTF-8, more than max_params parameters).
sim::Result<std::vector<FormParam>> parse_form(std::string_view text, std::size_t max_params);

// Appends "name=value" (RFC 3986 percent-encoding, '&' first unless out is empty).
void append_form_param(std::string& out, std::string_view name, std::string_view value);

// ---- Scalars.

// ISO 8601 ("2026-11-28T12:13:06Z", optional fraction, "Z" or "+hh:mm"), a date alone, or
// epoch seconds as a number; nullopt outside years 0001-9999.
std::optional<double> parse_timestamp_text(std::string_view text);
// "2026-11-28T12:13:06Z"; ".123" when there is a fraction or always_millis.
std::string format_iso8601(double seconds, bool always_millis);
// Epoch seconds with at most three decimals: "1764331986", "1764331986.5".
std::string format_epoch_seconds(double seconds);
// A timestamp member of a Document (epoch seconds), or nullopt when it is not a number in years
// 0001-9999.
std::optional<double> document_timestamp(const nlohmann::json& value);
nlohmann::json timestamp_document(double seconds);

std::optional<int64_t> parse_int(std::string_view text, int64_t min, int64_t max);
std::optional<double> parse_double(std::string_view text);
// Shortest round-trip form ("0.5", "1e+21"); finite values only.
std::string format_double(double value);

bool is_base64(std::string_view text);
std::size_t base64_decoded_size(std::string_view text);

std::string lower_first(std::string_view name);
std::string upper_first(std::string_view name);

// Limits of the integer shapes.
int64_t integer_min(ShapeType type);
int64_t integer_max(ShapeType type);

// ---- JSON text.

// Appends a JSON string literal; invalid UTF-8 becomes U+FFFD.
void append_json_string(std::string& out, std::string_view text);
// Parses JSON text without exceptions: nullopt-like discarded value on error, deeper than
// kMaxJsonDepth refused before parsing. `error` receives a message.
std::optional<nlohmann::json> parse_json_text(std::string_view text, std::string& error);

// ---- Documents.

// Slots for the members of one structure, filled by match_members.
using MemberSlots = std::array<const nlohmann::json*, kMaxStructureMembers>;

// For each member of `structure` in model order, the value `object` holds under the member's
// botocore name, or nullptr when absent or null: one merge of the object's sorted keys with the
// structure's members sorted by name (ServiceModel::sorted_members).
void match_members(const ServiceModel& service,
                   const ShapeModel& structure,
                   const nlohmann::json& object,
                   MemberSlots& slots);

// ---- Errors every codec builds.

sim::AwsError unknown_operation_error(const ServiceModel& service, std::string_view name);

// ---- Per-protocol entry points (query_codec.cc, json_codec.cc).

sim::Result<OperationRef> identify_query(const ServiceModel& service, const HttpRequest& request);
sim::Result<DecodedRequest> decode_query_request(const ServiceModel& service,
                                                 const HttpRequest& request);
sim::Result<HttpResponse> encode_query_response(const OperationRef& op,
                                                const nlohmann::json& output,
                                                std::string_view request_id);
HttpResponse encode_query_error(const ServiceModel& service,
                                const sim::AwsError& error,
                                std::string_view request_id);
sim::Result<HttpRequest> encode_query_request(const OperationRef& op, const nlohmann::json& input);
sim::Result<DecodedResponse> decode_query_response(const OperationRef& op,
                                                   const HttpResponse& response);

sim::Result<OperationRef> identify_json(const ServiceModel& service, const HttpRequest& request);
sim::Result<DecodedRequest> decode_json_request(const ServiceModel& service,
                                                const HttpRequest& request);
sim::Result<HttpResponse> encode_json_response(const OperationRef& op,
                                               const nlohmann::json& output,
                                               std::string_view request_id);
HttpResponse encode_json_error(const ServiceModel& service,
                               const sim::AwsError& error,
                               std::string_view request_id);
sim::Result<HttpRequest> encode_json_request(const OperationRef& op, const nlohmann::json& input);
sim::Result<DecodedResponse> decode_json_response(const OperationRef& op,
                                                  const HttpResponse& response);

}  // namespace ibsim::mock_aws::protocol::internal

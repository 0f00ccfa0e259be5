#pragma once
// Document: what the codecs hand to services and take back from them, one JSON value per request
// or response, keyed by botocore member names whatever the protocol:
//
//   {"Name": "copy", "SourceImageId": "ami-1", "Encrypted": true,
//    "TagSpecifications": [{"ResourceType": "image", "Tags": [{"Key": "k", "Value": "v"}]}]}
//
// - structure -> object (only members that are present; a JSON null counts as absent),
//   list -> array, map -> object;
// - string -> string, integer/long -> integer, float/double -> number, boolean -> bool;
// - blob -> string holding standard base64 with padding (decoders check it; services decode it
//   with crypto::base64_decode);
// - timestamp -> number of seconds since the Unix epoch (integer, or fractional with at most
//   millisecond precision); the codecs render ISO 8601 for XML and query, epoch seconds for JSON.
// Values are never transformed beyond that: IAM's URL-encoded policy documents, for instance, are
// strings the IAM service encodes itself.

#include <nlohmann/json.hpp>

namespace ibsim::mock_aws::protocol {

using Document = nlohmann::json;

}  // namespace ibsim::mock_aws::protocol

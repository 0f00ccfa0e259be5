// The JSON protocols: JSON 1.1 (KMS "TrentService.<Op>", SSM "AmazonSSM.<Op>": POST / with
// X-Amz-Target and a JSON body) and REST-JSON (Image Builder: operation from method and path,
// members in the query string, headers or URI, the rest as a JSON body). Blobs are base64 and
// timestamps epoch seconds on the wire. Errors: JSON 1.1 {"__type": code, "message": text};
// REST-JSON the x-amzn-ErrorType header, {"message": text} and the model's status.

#include <cmath>
#include <optional>
#include <string>
#include <vector>

#include "mock_aws/crypto/encoding.h"
#include "mock_aws/protocol/codec_internal.h"

namespace ibsim::mock_aws::protocol::internal {
namespace {

using nlohmann::json;

bool is_rest(const ServiceModel& s) {
  return s.protocol == Protocol::kRestJson;
}

std::string_view json_name(const ServiceModel& s, const MemberModel& m) {
  return s.str(m.wire_name != kNoIndex ? m.wire_name : m.name);
}

// ---- Values: JSON text -> Document (requests on the server, responses on the client).

const char* json_token(const json& v) {
  switch (v.type()) {
    case json::value_t::string:
      return "STRING_VALUE";
    case json::value_t::boolean:
      return "BOOLEAN_VALUE";
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
    case json::value_t::number_float:
      return "NUMBER_VALUE";
    case json::value_t::array:
      return "START_ARRAY";
    case json::value_t::object:
      return "START_OBJECT";
    default:
      return "VALUE_NULL";
  }
}

const char* java_type(ShapeType t) {
  switch (t) {
    case ShapeType::kStructure:
      return "a Structure";
    case ShapeType::kList:
      return "a List";
    case ShapeType::kMap:
      return "a Map";
    case ShapeType::kString:
      return "a String";
    case ShapeType::kInteger:
      return "an Integer";
    case ShapeType::kLong:
      return "a Long";
    case ShapeType::kBoolean:
      return "a Boolean";
    case ShapeType::kTimestamp:
      return "a Date";
    case ShapeType::kBlob:
      return "a Blob";
    case ShapeType::kFloat:
      return "a Float";
    case ShapeType::kDouble:
      return "a Double";
  }
  return "a value";
}

class JsonDecoder {
 public:
  // server: request bodies (SerializationException); else response bodies (MalformedResponse).
  JsonDecoder(const ServiceModel& s, bool server, int status)
      : s_(s), server_(server), status_(status) {}

  std::optional<sim::AwsError> error;

  bool structure(const ShapeModel& shape, const json& in, json& out, bool body_only) {
    if (!in.is_object()) {
      return type_error(shape, in);
    }
    if (!out.is_object()) {
      out = json::object();
    }
    for (const MemberModel& m : s_.members_of(shape)) {
      if (body_only && m.location != Location::kBody) {
        continue;
      }
      const auto it = in.find(json_name(s_, m));
      if (it == in.end() || it->is_null()) {
        continue;
      }
      json value;
      if (!convert(s_.target(m), *it, value)) {
        return false;
      }
      out[std::string(s_.str(m.name))] = std::move(value);
    }
    return true;
  }

  bool convert(const ShapeModel& shape, const json& in, json& out) {
    switch (shape.type) {
      case ShapeType::kStructure:
        return structure(shape, in, out, false);
      case ShapeType::kList: {
        if (!in.is_array()) {
          return type_error(shape, in);
        }
        if (in.size() > kMaxListItems) {
          return fail("A list has more than " + std::to_string(kMaxListItems) + " items.");
        }
        const ShapeModel& element = s_.target(s_.members_of(shape)[0]);
        out = json::array();
        for (const json& e : in) {
          json value;
          if (e.is_null() || !convert(element, e, value)) {
            return e.is_null() ? type_error(element, e) : false;
          }
          out.push_back(std::move(value));
        }
        return true;
      }
      case ShapeType::kMap: {
        if (!in.is_object()) {
          return type_error(shape, in);
        }
        if (in.size() > kMaxListItems) {
          return fail("A map has more than " + std::to_string(kMaxListItems) + " entries.");
        }
        const ShapeModel& value_shape = s_.target(s_.members_of(shape)[1]);
        out = json::object();
        for (const auto& [k, e] : in.items()) {
          if (e.is_null()) {
            continue;
          }
          json value;
          if (!convert(value_shape, e, value)) {
            return false;
          }
          out[k] = std::move(value);
        }
        return true;
      }
      case ShapeType::kString:
        if (!in.is_string()) {
          return type_error(shape, in);
        }
        out = in;
        return true;
      case ShapeType::kInteger:
      case ShapeType::kLong: {
        if (!in.is_number_integer()) {
          return type_error(shape, in);
        }
        const bool too_big =
            in.is_number_unsigned() && in.get<uint64_t>() > static_cast<uint64_t>(INT64_MAX);
        const int64_t n = too_big ? INT64_MAX : in.get<int64_t>();
        if (too_big || n < integer_min(shape.type) || n > integer_max(shape.type)) {
          // Unconfirmed: Coral's text for an out-of-range number.
          return fail("NUMBER_VALUE " + in.dump() + " can not be converted to "
                      + java_type(shape.type));
        }
        out = n;
        return true;
      }
      case ShapeType::kBoolean:
        if (!in.is_boolean()) {
          return type_error(shape, in);
        }
        out = in;
        return true;
      case ShapeType::kFloat:
      case ShapeType::kDouble:
        if (!in.is_number() || !std::isfinite(in.get<double>())) {
          return type_error(shape, in);
        }
        out = in;
        return true;
      case ShapeType::kTimestamp: {
        std::optional<double> t;
        if (in.is_number()) {
          t = document_timestamp(in);
        } else if (in.is_string()) {
          t = parse_timestamp_text(in.get_ref<const std::string&>());
        }
        if (!t) {
          return type_error(shape, in);
        }
        out = timestamp_document(*t);
        return true;
      }
      case ShapeType::kBlob:
        if (!in.is_string()) {
          return type_error(shape, in);
        }
        if (!is_base64(in.get_ref<const std::string&>())) {
          // Unconfirmed: Coral's text for a blob that is not base64.
          return fail("Unable to parse base64 string.");
        }
        out = in;
        return true;
    }
    return type_error(shape, in);
  }

  // A query-string, header or URI value of a REST-JSON request.
  bool text(const ShapeModel& shape, const std::string& value, json& out) {
    switch (shape.type) {
      case ShapeType::kString:
        out = value;
        return true;
      case ShapeType::kInteger:
      case ShapeType::kLong: {
        const auto n = parse_int(value, integer_min(shape.type), integer_max(shape.type));
        if (!n) {
          return type_error(shape, json(value));
        }
        out = *n;
        return true;
      }
      case ShapeType::kBoolean:
        if (value != "true" && value != "false") {
          return type_error(shape, json(value));
        }
        out = value == "true";
        return true;
      case ShapeType::kFloat:
      case ShapeType::kDouble: {
        const auto d = parse_double(value);
        if (!d) {
          return type_error(shape, json(value));
        }
        out = *d;
        return true;
      }
      case ShapeType::kTimestamp: {
        const auto t = parse_timestamp_text(value);
        if (!t) {
          return type_error(shape, json(value));
        }
        out = timestamp_document(*t);
        return true;
      }
      case ShapeType::kBlob:
        if (!is_base64(value)) {
          return type_error(shape, json(value));
        }
        out = value;
        return true;
      default:
        return type_error(shape, json(value));
    }
  }

  bool fail(std::string message) {
    if (!error) {
      error = server_ ? sim::aws_error("SerializationException", std::move(message))
                      : sim::aws_error(
                          "MalformedResponse", "Unable to parse the response: " + message, status_);
    }
    return false;
  }

 private:
  // Unconfirmed: Coral's wording for type mismatches ("... can not be converted to ...").
  bool type_error(const ShapeModel& shape, const json& in) {
    if (in.is_object() && shape.type != ShapeType::kStructure && shape.type != ShapeType::kMap) {
      return fail("Start of structure or map found where not expected.");
    }
    if (in.is_array() && shape.type != ShapeType::kList) {
      return fail("Start of list found where not expected.");
    }
    return fail(std::string(json_token(in)) + " can not be converted to " + java_type(shape.type));
  }

  const ServiceModel& s_;
  bool server_;
  int status_;
};

// ---- Values: Document -> JSON text (responses on the server, requests on the client).

class JsonEncoder {
 public:
  // server: response bodies (InternalFailure); else request bodies (ParamValidationError).
  JsonEncoder(const ServiceModel& s, bool server) : s_(s), server_(server) {}

  std::optional<sim::AwsError> error;

  bool structure(const ShapeModel& shape, const json& v, std::string& out, bool body_only) {
    if (!v.is_object()) {
      return fail(s_.str(shape.name));
    }
    out += '{';
    bool first = true;
    MemberSlots slots;
    match_members(s_, shape, v, slots);
    const auto members = s_.members_of(shape);
    for (std::size_t i = 0; i < members.size(); ++i) {
      const MemberModel& m = members[i];
      if (slots[i] == nullptr || (body_only && m.location != Location::kBody)) {
        continue;
      }
      if (!first) {
        out += ',';
      }
      first = false;
      append_json_string(out, json_name(s_, m));
      out += ':';
      if (!value(s_.target(m), *slots[i], out)) {
        return false;
      }
    }
    out += '}';
    return true;
  }

  bool value(const ShapeModel& shape, const json& v, std::string& out) {
    switch (shape.type) {
      case ShapeType::kStructure:
        return structure(shape, v, out, false);
      case ShapeType::kList: {
        if (!v.is_array()) {
          return fail(s_.str(shape.name));
        }
        const ShapeModel& element = s_.target(s_.members_of(shape)[0]);
        out += '[';
        bool first = true;
        for (const json& e : v) {
          if (!first) {
            out += ',';
          }
          first = false;
          if (!value(element, e, out)) {
            return false;
          }
        }
        out += ']';
        return true;
      }
      case ShapeType::kMap: {
        if (!v.is_object()) {
          return fail(s_.str(shape.name));
        }
        const ShapeModel& value_shape = s_.target(s_.members_of(shape)[1]);
        out += '{';
        bool first = true;
        for (const auto& [k, e] : v.items()) {
          if (!first) {
            out += ',';
          }
          first = false;
          append_json_string(out, k);
          out += ':';
          if (!value(value_shape, e, out)) {
            return false;
          }
        }
        out += '}';
        return true;
      }
      case ShapeType::kString:
      case ShapeType::kBlob:
        if (!v.is_string()
            || (shape.type == ShapeType::kBlob && !is_base64(v.get_ref<const std::string&>()))) {
          return fail(s_.str(shape.name));
        }
        append_json_string(out, v.get_ref<const std::string&>());
        return true;
      case ShapeType::kInteger:
      case ShapeType::kLong:
        if (v.is_number_unsigned()) {
          out += std::to_string(v.get<uint64_t>());
          return true;
        }
        if (!v.is_number_integer()) {
          return fail(s_.str(shape.name));
        }
        out += std::to_string(v.get<int64_t>());
        return true;
      case ShapeType::kBoolean:
        if (!v.is_boolean()) {
          return fail(s_.str(shape.name));
        }
        out += v.get<bool>() ? "true" : "false";
        return true;
      case ShapeType::kFloat:
      case ShapeType::kDouble:
        if (!v.is_number() || !std::isfinite(v.get<double>())) {
          return fail(s_.str(shape.name));
        }
        out += format_double(v.get<double>());
        return true;
      case ShapeType::kTimestamp: {
        const auto t = document_timestamp(v);
        if (!t) {
          return fail(s_.str(shape.name));
        }
        out += format_epoch_seconds(*t);
        return true;
      }
    }
    return fail(s_.str(shape.name));
  }

  bool fail(std::string_view shape_name) {
    if (!error) {
      const std::string what =
          "a value of shape " + std::string(shape_name) + " has the wrong type";
      error = server_ ? sim::aws_error(
                  "InternalFailure", "ibsim could not encode the response: " + what, 500)
                      : sim::aws_error("ParamValidationError", "Invalid type: " + what);
    }
    return false;
  }

 private:
  const ServiceModel& s_;
  bool server_;
};

// A scalar as a query-string, header or URI value.
std::optional<std::string> text_value(const ShapeModel& shape, const json& v) {
  switch (shape.type) {
    case ShapeType::kString:
      return v.is_string() ? std::optional<std::string>(v.get<std::string>()) : std::nullopt;
    case ShapeType::kBlob:
      return v.is_string() && is_base64(v.get_ref<const std::string&>())
                 ? std::optional<std::string>(v.get<std::string>())
                 : std::nullopt;
    case ShapeType::kInteger:
    case ShapeType::kLong:
      return v.is_number_integer() ? std::optional<std::string>(v.dump()) : std::nullopt;
    case ShapeType::kBoolean:
      return v.is_boolean() ? std::optional<std::string>(v.get<bool>() ? "true" : "false")
                            : std::nullopt;
    case ShapeType::kFloat:
    case ShapeType::kDouble:
      return v.is_number() ? std::optional<std::string>(format_double(v.get<double>()))
                           : std::nullopt;
    case ShapeType::kTimestamp: {
      const auto t = document_timestamp(v);
      return t ? std::optional<std::string>(format_iso8601(*t, false)) : std::nullopt;
    }
    default:
      return std::nullopt;
  }
}

// ---- REST-JSON routing.

struct Label {
  std::string_view name;
  std::string value;
};

// Matches a path against a requestUri template ("/GetImage", "/tags/{resourceArn}",
// "/x/{Key+}"), collecting percent-decoded label values.
bool match_uri(std::string_view pattern, std::string_view path, std::vector<Label>& labels) {
  const std::size_t q = pattern.find('?');
  if (q != std::string_view::npos) {
    pattern = pattern.substr(0, q);
  }
  labels.clear();
  std::size_t pi = 0;
  std::size_t xi = 0;
  while (pi < pattern.size()) {
    if (pattern[pi] == '{') {
      const std::size_t close = pattern.find('}', pi);
      if (close == std::string_view::npos) {
        return false;
      }
      std::string_view name = pattern.substr(pi + 1, close - pi - 1);
      const bool greedy = !name.empty() && name.back() == '+';
      if (greedy) {
        name.remove_suffix(1);
      }
      std::size_t end = greedy ? path.size() : path.find('/', xi);
      if (end == std::string_view::npos) {
        end = path.size();
      }
      if (end == xi) {
        return false;
      }
      auto decoded = crypto::percent_decode(path.substr(xi, end - xi));
      if (!decoded) {
        return false;
      }
      labels.push_back(Label{name, std::move(*decoded)});
      xi = end;
      pi = close + 1;
      continue;
    }
    if (xi >= path.size() || path[xi] != pattern[pi]) {
      return false;
    }
    ++pi;
    ++xi;
  }
  return xi == path.size();
}

std::string_view strip_error_code(std::string_view code) {
  const std::size_t colon = code.find(':');
  if (colon != std::string_view::npos) {
    code = code.substr(0, colon);
  }
  const std::size_t hash = code.rfind('#');
  if (hash != std::string_view::npos) {
    code = code.substr(hash + 1);
  }
  return code;
}

sim::Result<OperationRef> identify_rest(const ServiceModel& s,
                                        const HttpRequest& request,
                                        std::vector<Label>& labels) {
  const std::string_view path = request.path();
  for (uint16_t i = 0; i < s.operations.size(); ++i) {
    const OperationModel& op = s.operations[i];
    if (iequals(s.str(op.http_method), request.method)
        && match_uri(s.str(op.request_uri), path, labels)) {
      return OperationRef(s, i);
    }
  }
  return unknown_operation_error(s, request.method + " " + std::string(path));
}

sim::Result<OperationRef> identify_rpc(const ServiceModel& s, const HttpRequest& request) {
  const std::string* target = request.headers.find("X-Amz-Target");
  if (target == nullptr) {
    return unknown_operation_error(s, "");
  }
  const std::string_view t = *target;
  const std::string_view prefix = s.target_prefix;
  if (t.size() <= prefix.size() + 1 || t.substr(0, prefix.size()) != prefix
      || t[prefix.size()] != '.') {
    return unknown_operation_error(s, t);
  }
  const auto op = find_operation(s.id, t.substr(prefix.size() + 1));
  if (!op) {
    return unknown_operation_error(s, t);
  }
  return *op;
}

sim::AwsError serialization_error(const std::string& message) {
  return sim::aws_error("SerializationException", message);
}

sim::Result<json> parse_body(std::string_view body) {
  if (body.empty()) {
    return json::object();  // Unconfirmed: an empty body is taken as {}.
  }
  std::string error;
  auto parsed = parse_json_text(body, error);
  if (!parsed) {
    return serialization_error(error);
  }
  if (!parsed->is_object()) {
    return serialization_error(parsed->is_array() ? "Start of list found where not expected."
                                                  : "The request body is not a JSON object.");
  }
  return std::move(*parsed);
}

sim::Result<DecodedRequest> decode_rest_request(const ServiceModel& s, const HttpRequest& request) {
  std::vector<Label> labels;
  auto op = identify_rest(s, request, labels);
  if (!op.ok()) {
    return op.error();
  }
  DecodedRequest decoded{*op, json::object()};
  const ShapeModel* input = op->input();
  if (input == nullptr) {
    return decoded;
  }
  JsonDecoder decoder(s, /*server=*/true, 400);
  std::vector<FormParam> query;
  bool has_body_members = false;
  for (const MemberModel& m : s.members_of(*input)) {
    if (m.location == Location::kQueryString) {
      auto params = parse_form(request.query(), kMaxQueryParams);
      if (!params.ok()) {
        return serialization_error(params.error().message);
      }
      query = std::move(*params);
      break;
    }
  }
  for (const MemberModel& m : s.members_of(*input)) {
    const ShapeModel& target = s.target(m);
    const std::string name(s.str(m.name));
    const std::string_view wire = json_name(s, m);
    json value;
    switch (m.location) {
      case Location::kBody:
        has_body_members = true;
        continue;
      case Location::kUri:
        for (const Label& l : labels) {
          if (l.name == wire) {
            if (!decoder.text(target, l.value, value)) {
              return *decoder.error;
            }
            decoded.input[name] = std::move(value);
          }
        }
        continue;
      case Location::kHeader:
        if (const std::string* h = request.headers.find(wire)) {
          if (!decoder.text(target, *h, value)) {
            return *decoder.error;
          }
          decoded.input[name] = std::move(value);
        }
        continue;
      case Location::kQueryString:
        if (target.type == ShapeType::kList) {
          const ShapeModel& element = s.target(s.members_of(target)[0]);
          value = json::array();
          for (const FormParam& p : query) {
            json e;
            if (p.name == wire) {
              if (!decoder.text(element, p.value, e)) {
                return *decoder.error;
              }
              value.push_back(std::move(e));
            }
          }
          if (!value.empty()) {
            decoded.input[name] = std::move(value);
          }
        } else if (target.type == ShapeType::kMap) {
          value = json::object();
          for (const FormParam& p : query) {
            value[p.name] = p.value;
          }
          if (!value.empty()) {
            decoded.input[name] = std::move(value);
          }
        } else {
          for (const FormParam& p : query) {
            if (p.name == wire) {
              if (!decoder.text(target, p.value, value)) {
                return *decoder.error;
              }
              decoded.input[name] = std::move(value);
              break;  // Unconfirmed: the first of repeated values wins.
            }
          }
        }
        continue;
      case Location::kHeaders:
      case Location::kStatusCode:
        continue;
    }
  }
  const bool method_has_body =
      request.method != "GET" && request.method != "DELETE" && request.method != "HEAD";
  if (has_body_members && method_has_body) {
    auto body = parse_body(request.body);
    if (!body.ok()) {
      return body.error();
    }
    if (!decoder.structure(*input, *body, decoded.input, /*body_only=*/true)) {
      return *decoder.error;
    }
  }
  return decoded;
}

sim::AwsError decode_json_error(const ServiceModel& s, const HttpResponse& response) {
  json body = json::object();
  if (!response.body.empty()) {
    std::string ignored;
    auto parsed = parse_json_text(response.body, ignored);
    if (parsed && parsed->is_object()) {
      body = std::move(*parsed);
    } else {
      body = json{{"message", response.body.substr(0, 512)}};
    }
  }
  const auto string_member = [&](const char* key) -> std::optional<std::string> {
    const auto it = body.find(key);
    if (it != body.end() && it->is_string()) {
      return it->get<std::string>();
    }
    return std::nullopt;
  };
  std::string code = std::to_string(response.status);
  if (auto t = string_member("__type")) {
    code = *t;
  }
  if (is_rest(s)) {
    if (const std::string* h = response.headers.find("x-amzn-ErrorType")) {
      code = *h;
    } else if (auto c = string_member("code")) {
      code = *c;
    } else if (auto c2 = string_member("Code")) {
      code = *c2;
    }
  }
  std::string message;
  if (auto m = string_member("message")) {
    message = *m;
  } else if (auto m2 = string_member("Message")) {
    message = *m2;
  }
  return sim::AwsError{std::string(strip_error_code(code)),
                       std::move(message),
                       response.status,
                       response.status >= 500 ? sim::Fault::kReceiver : sim::Fault::kSender};
}

std::string json_content_type(const ServiceModel& s) {
  return is_rest(s) ? "application/json" : "application/x-amz-json-" + std::string(s.json_version);
}

}  // namespace

sim::Result<OperationRef> identify_json(const ServiceModel& service, const HttpRequest& request) {
  if (is_rest(service)) {
    std::vector<Label> labels;
    return identify_rest(service, request, labels);
  }
  return identify_rpc(service, request);
}

sim::Result<DecodedRequest> decode_json_request(const ServiceModel& service,
                                                const HttpRequest& request) {
  if (is_rest(service)) {
    return decode_rest_request(service, request);
  }
  auto op = identify_rpc(service, request);
  if (!op.ok()) {
    return op.error();
  }
  auto body = parse_body(request.body);
  if (!body.ok()) {
    return body.error();
  }
  DecodedRequest decoded{*op, json::object()};
  const ShapeModel* input = op->input();
  if (input == nullptr) {
    return decoded;
  }
  JsonDecoder decoder(service, /*server=*/true, 400);
  if (!decoder.structure(*input, *body, decoded.input, /*body_only=*/false)) {
    return *decoder.error;
  }
  return decoded;
}

sim::Result<HttpResponse> encode_json_response(const OperationRef& op,
                                               const nlohmann::json& output,
                                               std::string_view request_id) {
  const ServiceModel& s = op.service();
  HttpResponse response;
  const ShapeModel* shape = op.output();
  const json empty = json::object();
  const json* doc = output.is_null() ? &empty : &output;
  json with_id;
  if (shape != nullptr && is_rest(s)) {
    // Image Builder's outputs carry the request id as a member.
    const MemberModel* id = find_member(s, *shape, "requestId");
    if (id != nullptr && !doc->contains("requestId")) {
      with_id = *doc;
      with_id["requestId"] = std::string(request_id);
      doc = &with_id;
    }
    for (const MemberModel& m : s.members_of(*shape)) {
      const auto it = doc->find(s.str(m.name));
      if (it == doc->end() || it->is_null()) {
        continue;
      }
      if (m.location == Location::kHeader) {
        const auto text = text_value(s.target(m), *it);
        if (!text) {
          return sim::aws_error("InternalFailure", "ibsim could not encode a header member", 500);
        }
        response.headers.add(std::string(json_name(s, m)), *text);
      } else if (m.location == Location::kStatusCode && it->is_number_integer()) {
        response.status = static_cast<int>(it->get<int64_t>());
      }
    }
  }
  if (shape != nullptr) {
    JsonEncoder encoder(s, /*server=*/true);
    if (!encoder.structure(*shape, *doc, response.body, /*body_only=*/is_rest(s))) {
      return *encoder.error;
    }
  } else {
    response.body = "{}";  // Unconfirmed: what KMS and SSM send for operations without output.
  }
  response.headers.add("Content-Type", json_content_type(s));
  response.headers.add("x-amzn-RequestId", std::string(request_id));
  return response;
}

HttpResponse encode_json_error(const ServiceModel& service,
                               const sim::AwsError& error,
                               std::string_view request_id) {
  HttpResponse response;
  response.status = error.http_status;
  std::string& body = response.body;
  body = "{";
  if (is_rest(service)) {
    response.headers.add("x-amzn-ErrorType", error.code);
  } else {
    body += "\"__type\":";
    append_json_string(body, error.code);
  }
  if (!error.message.empty()) {
    if (body.size() > 1) {
      body += ',';
    }
    body += "\"message\":";
    append_json_string(body, error.message);
  }
  body += '}';
  response.headers.add("Content-Type", json_content_type(service));
  response.headers.add("x-amzn-RequestId", std::string(request_id));
  return response;
}

sim::Result<HttpRequest> encode_json_request(const OperationRef& op, const nlohmann::json& input) {
  const ServiceModel& s = op.service();
  const ShapeModel* shape = op.input();
  const json empty = json::object();
  const json& doc = input.is_null() ? empty : input;
  HttpRequest request;
  request.method = std::string(s.str(op.model().http_method));
  JsonEncoder encoder(s, /*server=*/false);
  if (!is_rest(s)) {
    request.target = "/";
    request.headers.add("X-Amz-Target",
                        std::string(s.target_prefix) + "." + std::string(op.name()));
    request.headers.add("Content-Type", json_content_type(s));
    if (shape == nullptr) {
      request.body = "{}";
    } else if (!encoder.structure(*shape, doc, request.body, /*body_only=*/false)) {
      return *encoder.error;
    }
    return request;
  }
  std::string path(s.str(op.model().request_uri));
  std::string query;
  bool has_body_members = false;
  if (shape != nullptr) {
    for (const MemberModel& m : s.members_of(*shape)) {
      const std::string_view wire = json_name(s, m);
      if (m.location == Location::kBody) {
        has_body_members = true;
        continue;
      }
      const auto it = doc.find(s.str(m.name));
      if (it == doc.end() || it->is_null()) {
        continue;
      }
      const ShapeModel& target = s.target(m);
      const auto bad = [&] {
        return sim::aws_error("ParamValidationError",
                              "Invalid type for parameter " + std::string(s.str(m.name)));
      };
      if (m.location == Location::kQueryString && target.type == ShapeType::kList) {
        if (!it->is_array()) {
          return bad();
        }
        const ShapeModel& element = s.target(s.members_of(target)[0]);
        for (const json& e : *it) {
          const auto text = text_value(element, e);
          if (!text) {
            return bad();
          }
          append_form_param(query, wire, *text);
        }
        continue;
      }
      if (m.location == Location::kQueryString && target.type == ShapeType::kMap) {
        if (!it->is_object()) {
          return bad();
        }
        for (const auto& [k, e] : it->items()) {
          if (!e.is_string()) {
            return bad();
          }
          append_form_param(query, k, e.get<std::string>());
        }
        continue;
      }
      const auto text = text_value(target, *it);
      if (!text) {
        return bad();
      }
      if (m.location == Location::kQueryString) {
        append_form_param(query, wire, *text);
      } else if (m.location == Location::kHeader) {
        request.headers.add(std::string(wire), *text);
      } else if (m.location == Location::kUri) {
        const std::string plain = "{" + std::string(wire) + "}";
        const std::string greedy = "{" + std::string(wire) + "+}";
        if (const std::size_t at = path.find(plain); at != std::string::npos) {
          path.replace(at, plain.size(), crypto::percent_encode(*text));
        } else if (const std::size_t at2 = path.find(greedy); at2 != std::string::npos) {
          path.replace(at2, greedy.size(), crypto::percent_encode(*text, /*keep_slash=*/true));
        }
      }
    }
  }
  request.target = query.empty() ? path : path + "?" + query;
  if (has_body_members) {
    if (!encoder.structure(*shape, doc, request.body, /*body_only=*/true)) {
      return *encoder.error;
    }
    request.headers.add("Content-Type", json_content_type(s));
  }
  return request;
}

sim::Result<DecodedResponse> decode_json_response(const OperationRef& op,
                                                  const HttpResponse& response) {
  const ServiceModel& s = op.service();
  if (response.status >= 300) {
    return decode_json_error(s, response);
  }
  DecodedResponse decoded{json::object(), response.headers.get("x-amzn-RequestId")};
  const ShapeModel* shape = op.output();
  if (shape == nullptr) {
    return decoded;
  }
  JsonDecoder decoder(s, /*server=*/false, response.status);
  json body = json::object();
  if (!response.body.empty()) {
    std::string error;
    auto parsed = parse_json_text(response.body, error);
    if (!parsed || !parsed->is_object()) {
      return sim::aws_error("MalformedResponse",
                            "Unable to parse the response: " + (parsed ? "not an object" : error),
                            response.status);
    }
    body = std::move(*parsed);
  }
  if (!decoder.structure(*shape, body, decoded.output, /*body_only=*/is_rest(s))) {
    return *decoder.error;
  }
  if (is_rest(s)) {
    for (const MemberModel& m : s.members_of(*shape)) {
      json value;
      if (m.location == Location::kHeader) {
        if (const std::string* h = response.headers.find(json_name(s, m))) {
          if (decoder.text(s.target(m), *h, value)) {
            decoded.output[std::string(s.str(m.name))] = std::move(value);
          }
        }
      } else if (m.location == Location::kStatusCode) {
        decoded.output[std::string(s.str(m.name))] = response.status;
      }
    }
  }
  return decoded;
}

}  // namespace ibsim::mock_aws::protocol::internal

// The query protocols: EC2's (ec2) and the one IAM and STS use (query). Requests are form
// parameters ("Action=CopyImage&Version=2016-11-15&TagSpecification.1.Tag.1.Key=k"); responses
// and errors are XML. The differences (botocore serialize.py / parsers.py document them):
//   - parameter names: EC2 uses queryName, else locationName with its first letter upper-cased,
//     else the member name; query uses locationName, else the member name;
//   - lists: EC2 "Name.N"; query "Name.member.N" (the element's locationName replaces "member"),
//     "Name.N" when flattened, "Name=" for an empty list; maps "Name.entry.N.key/value";
//   - responses: EC2 <OpResponse xmlns><requestId/>members...</OpResponse> (<return>true</return>
//     without output); query <OpResponse xmlns><OpResult>members</OpResult><ResponseMetadata>...;
//   - errors: EC2 <Response><Errors><Error>...</Error></Errors><RequestID/>; query
//     <ErrorResponse xmlns><Error><Type/><Code/><Message/></Error><RequestId/>.

#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "mock_aws/protocol/codec_internal.h"
#include "mock_aws/protocol/xml.h"

namespace ibsim::mock_aws::protocol::internal {
namespace {

using nlohmann::json;

bool is_ec2(const ServiceModel& s) {
  return s.protocol == Protocol::kEc2Query;
}

std::string xml_namespace(const ServiceModel& s) {
  std::string ns(s.xml_namespace);
  if (!ns.empty() && ns.back() != '/') {
    ns += '/';  // EC2's model omits the slash its responses carry.
  }
  return ns;
}

// The parameter name of a structure member in a request.
std::string input_name(const ServiceModel& s, const MemberModel& m) {
  if (is_ec2(s)) {
    if (m.query_name != kNoIndex) {
      return std::string(s.str(m.query_name));
    }
    if (m.wire_name != kNoIndex) {
      return upper_first(s.str(m.wire_name));
    }
    return std::string(s.str(m.name));
  }
  return std::string(s.str(m.wire_name != kNoIndex ? m.wire_name : m.name));
}

// The element name of a structure member in a response.
std::string_view output_name(const ServiceModel& s, const MemberModel& m) {
  return s.str(m.wire_name != kNoIndex ? m.wire_name : m.name);
}

bool flattened(const MemberModel& m, const ShapeModel& target) {
  return (m.flags & kMemberFlattened) != 0 || (target.flags & kShapeFlattened) != 0;
}

std::string join(std::string_view prefix, std::string_view name) {
  if (prefix.empty()) {
    return std::string(name);
  }
  std::string out(prefix);
  out += '.';
  out += name;
  return out;
}

// ---- Request decoding.

struct QueryNode {
  std::string value;
  bool has_value = false;
  std::map<std::string, QueryNode, std::less<>> children;
};

sim::AwsError malformed(std::string message) {
  return sim::aws_error("MalformedQueryString", std::move(message));
}

// Unconfirmed: the text for a value that does not parse as the member's type (EC2's
// "Invalid value 'x' for Name." is quoted from real answers about other parameters).
sim::AwsError bad_value(std::string_view path, std::string_view value) {
  return sim::aws_error(
      "InvalidParameterValue",
      "Invalid value '" + std::string(value.substr(0, 256)) + "' for " + std::string(path) + ".");
}

sim::AwsError unknown_parameter(std::string_view path) {
  return sim::aws_error("UnknownParameter",
                        "The parameter " + std::string(path) + " is not recognized");
}

// Parameters from the query string and, when there is one, the form body.
sim::Result<std::vector<FormParam>> request_params(const HttpRequest& request) {
  auto params = parse_form(request.query(), kMaxQueryParams);
  if (!params.ok()) {
    return params;
  }
  if (!request.body.empty()) {
    auto body = parse_form(request.body, kMaxQueryParams);
    if (!body.ok()) {
      return body;
    }
    if (params->size() + body->size() > kMaxQueryParams) {
      return malformed("The request has more than " + std::to_string(kMaxQueryParams)
                       + " parameters.");
    }
    for (FormParam& p : *body) {
      params->push_back(std::move(p));
    }
  }
  return params;
}

sim::Result<OperationRef> find_action(const ServiceModel& s, const std::vector<FormParam>& params) {
  const FormParam* action = nullptr;
  for (const FormParam& p : params) {
    if (p.name == "Action") {
      if (action != nullptr) {
        return malformed("The parameter Action is specified more than once.");
      }
      action = &p;
    }
  }
  if (action == nullptr) {
    // Unconfirmed: the text; MissingAction is in the common error list.
    return sim::aws_error("MissingAction", "The request must contain the parameter Action");
  }
  auto op = find_operation(s.id, action->value);
  if (!op) {
    return unknown_operation_error(s, action->value);
  }
  return *op;
}

class QueryDecoder {
 public:
  explicit QueryDecoder(const ServiceModel& s) : s_(s), ec2_(is_ec2(s)) {}

  std::optional<sim::AwsError> error;

  bool convert(const MemberModel* ref,
               const ShapeModel& shape,
               const QueryNode& node,
               const std::string& path,
               json& out) {
    switch (shape.type) {
      case ShapeType::kStructure:
        return convert_structure(shape, node, path, out);
      case ShapeType::kList:
        return convert_list(ref, shape, node, path, out);
      case ShapeType::kMap:
        return convert_map(ref, shape, node, path, out);
      default:
        return convert_scalar(shape, node, path, out);
    }
  }

  bool convert_structure(const ShapeModel& shape,
                         const QueryNode& node,
                         const std::string& path,
                         json& out) {
    if (node.has_value && !node.value.empty()) {
      return fail(ec2_ ? unknown_parameter(path) : bad_value(path, node.value));
    }
    out = json::object();
    const auto members = s_.members_of(shape);
    for (const auto& [name, child] : node.children) {
      const MemberModel* member = nullptr;
      for (const MemberModel& m : members) {
        if (input_name(s_, m) == name) {
          member = &m;
          break;
        }
      }
      const std::string child_path = join(path, name);
      if (member == nullptr) {
        if (ec2_) {
          return fail(unknown_parameter(child_path));
        }
        continue;  // Unconfirmed: IAM and STS are assumed to ignore unknown parameters.
      }
      json value;
      if (!convert(member, s_.target(*member), child, child_path, value)) {
        return false;
      }
      out[std::string(s_.str(member->name))] = std::move(value);
    }
    return true;
  }

  // Children "1", "2", ... of `node`, sorted by index. Unconfirmed: AWS's handling of gaps
  // ("Name.1", "Name.3"); ibsim closes them.
  bool indexed_children(const QueryNode& node,
                        const std::string& path,
                        std::vector<std::pair<int64_t, const QueryNode*>>& out) {
    for (const auto& [key, child] : node.children) {
      const auto index = parse_int(key, 1, static_cast<int64_t>(kMaxListItems));
      if (!index || key[0] == '0') {
        if (ec2_) {
          return fail(unknown_parameter(join(path, key)));
        }
        return fail(bad_value(join(path, key), child.value));
      }
      out.emplace_back(*index, &child);
    }
    std::sort(
        out.begin(), out.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    return true;
  }

  bool convert_list(const MemberModel* ref,
                    const ShapeModel& shape,
                    const QueryNode& node,
                    const std::string& path,
                    json& out) {
    const MemberModel& element = s_.members_of(shape)[0];
    out = json::array();
    if (node.has_value) {
      if (!node.value.empty() || !node.children.empty()) {
        return fail(ec2_ ? unknown_parameter(path) : bad_value(path, node.value));
      }
      return true;  // "Name=": the query protocol's empty list.
    }
    const QueryNode* items = &node;
    std::string items_path = path;
    const bool flat = ec2_ || (ref != nullptr && flattened(*ref, shape));
    if (!flat) {
      const std::string_view member_name =
          element.wire_name != kNoIndex ? s_.str(element.wire_name) : "member";
      for (const auto& [key, child] : node.children) {
        if (key != member_name) {
          return fail(bad_value(join(path, key), child.value));
        }
      }
      const auto it = node.children.find(member_name);
      if (it == node.children.end()) {
        return true;
      }
      items = &it->second;
      items_path = join(path, member_name);
    }
    std::vector<std::pair<int64_t, const QueryNode*>> indexed;
    if (!indexed_children(*items, items_path, indexed)) {
      return false;
    }
    const ShapeModel& element_shape = s_.target(element);
    for (const auto& [index, child] : indexed) {
      json value;
      if (!convert(
              &element, element_shape, *child, join(items_path, std::to_string(index)), value)) {
        return false;
      }
      out.push_back(std::move(value));
    }
    return true;
  }

  bool convert_map(const MemberModel* ref,
                   const ShapeModel& shape,
                   const QueryNode& node,
                   const std::string& path,
                   json& out) {
    const auto kv = s_.members_of(shape);
    out = json::object();
    const QueryNode* entries = &node;
    std::string entries_path = path;
    if (ref == nullptr || !flattened(*ref, shape)) {
      const auto it = node.children.find("entry");
      if (it == node.children.end()) {
        return true;
      }
      entries = &it->second;
      entries_path = join(path, "entry");
    }
    std::vector<std::pair<int64_t, const QueryNode*>> indexed;
    if (!indexed_children(*entries, entries_path, indexed)) {
      return false;
    }
    const std::string_view key_name = kv[0].wire_name != kNoIndex ? s_.str(kv[0].wire_name) : "key";
    const std::string_view value_name =
        kv[1].wire_name != kNoIndex ? s_.str(kv[1].wire_name) : "value";
    for (const auto& [index, entry] : indexed) {
      const std::string entry_path = join(entries_path, std::to_string(index));
      const auto key = entry->children.find(key_name);
      const auto value = entry->children.find(value_name);
      if (key == entry->children.end() || !key->second.has_value) {
        return fail(malformed("The map entry " + entry_path + " has no key."));
      }
      if (value == entry->children.end()) {
        continue;
      }
      json converted;
      if (!convert(
              &kv[1], s_.target(kv[1]), value->second, join(entry_path, value_name), converted)) {
        return false;
      }
      out[key->second.value] = std::move(converted);
    }
    return true;
  }

  bool convert_scalar(const ShapeModel& shape,
                      const QueryNode& node,
                      const std::string& path,
                      json& out) {
    if (!node.children.empty()) {
      const std::string child_path = join(path, node.children.begin()->first);
      return fail(ec2_ ? unknown_parameter(child_path)
                       : bad_value(child_path, node.children.begin()->second.value));
    }
    const std::string& v = node.value;
    switch (shape.type) {
      case ShapeType::kString:
        out = v;
        return true;
      case ShapeType::kInteger:
      case ShapeType::kLong: {
        const auto n = parse_int(v, integer_min(shape.type), integer_max(shape.type));
        if (!n) {
          return fail(bad_value(path, v));
        }
        out = *n;
        return true;
      }
      case ShapeType::kBoolean:
        if (iequals(v, "true")) {
          out = true;
        } else if (iequals(v, "false")) {
          out = false;
        } else {
          return fail(bad_value(path, v));
        }
        return true;
      case ShapeType::kFloat:
      case ShapeType::kDouble: {
        const auto d = parse_double(v);
        if (!d) {
          return fail(bad_value(path, v));
        }
        out = *d;
        return true;
      }
      case ShapeType::kTimestamp: {
        const auto t = parse_timestamp_text(v);
        if (!t) {
          return fail(bad_value(path, v));
        }
        out = timestamp_document(*t);
        return true;
      }
      case ShapeType::kBlob:
        if (!is_base64(v)) {
          return fail(bad_value(path, v));
        }
        out = v;
        return true;
      default:
        return fail(bad_value(path, v));
    }
  }

 private:
  bool fail(sim::AwsError e) {
    if (!error) {
      error = std::move(e);
    }
    return false;
  }

  const ServiceModel& s_;
  bool ec2_;
};

sim::Result<QueryNode> build_tree(const std::vector<FormParam>& params) {
  QueryNode root;
  for (const FormParam& p : params) {
    if (p.name == "Action" || p.name == "Version" || p.name.starts_with("X-Amz-")) {
      continue;  // Action and Version are read apart; X-Amz-* are SigV4 query signing.
    }
    QueryNode* node = &root;
    std::size_t start = 0;
    std::size_t segments = 0;
    while (true) {
      const std::size_t dot = p.name.find('.', start);
      const std::string_view segment =
          std::string_view(p.name).substr(start, dot == std::string::npos ? dot : dot - start);
      if (segment.empty() || ++segments > kMaxQueryNameSegments) {
        return malformed("The parameter name '" + p.name.substr(0, 256) + "' is malformed.");
      }
      auto it = node->children.find(segment);
      if (it == node->children.end()) {
        it = node->children.emplace(std::string(segment), QueryNode{}).first;
      }
      node = &it->second;
      if (dot == std::string::npos) {
        break;
      }
      start = dot + 1;
    }
    if (node->has_value) {
      // Unconfirmed: AWS's answer to a repeated parameter.
      return malformed("The parameter " + p.name.substr(0, 256) + " is specified more than once.");
    }
    node->has_value = true;
    node->value = p.value;
  }
  return root;
}

// ---- Response encoding.

class XmlEncoder {
 public:
  XmlEncoder(const ServiceModel& s, XmlWriter& w) : s_(s), w_(w), ec2_(is_ec2(s)) {}

  std::optional<sim::AwsError> error;

  bool members(const ShapeModel& shape, const json& v) {
    if (!v.is_object()) {
      return fail("a structure is not an object");
    }
    MemberSlots slots;
    match_members(s_, shape, v, slots);
    const auto members = s_.members_of(shape);
    for (std::size_t i = 0; i < members.size(); ++i) {
      if (slots[i] != nullptr && !member(members[i], *slots[i])) {
        return false;
      }
    }
    return true;
  }

 private:
  bool fail(const std::string& what) {
    if (!error) {
      error = sim::aws_error(ec2_ ? "InternalError" : "InternalFailure",
                             "ibsim could not encode the response: " + what,
                             500);
    }
    return false;
  }

  bool member(const MemberModel& m, const json& v) {
    const ShapeModel& shape = s_.target(m);
    const std::string_view name = output_name(s_, m);
    if (shape.type == ShapeType::kList && flattened(m, shape)) {
      if (!v.is_array()) {
        return fail(std::string(name) + " is not an array");
      }
      const MemberModel& element = s_.members_of(shape)[0];
      const std::string_view element_name =
          element.wire_name != kNoIndex ? s_.str(element.wire_name) : name;
      for (const json& e : v) {
        if (!value(element_name, s_.target(element), e)) {
          return false;
        }
      }
      return true;
    }
    return value(name, shape, v);
  }

  bool value(std::string_view name, const ShapeModel& shape, const json& v) {
    switch (shape.type) {
      case ShapeType::kStructure:
        w_.open(name);
        if (!members(shape, v)) {
          return false;
        }
        w_.close();
        return true;
      case ShapeType::kList: {
        if (!v.is_array()) {
          return fail(std::string(name) + " is not an array");
        }
        const MemberModel& element = s_.members_of(shape)[0];
        const std::string_view element_name =
            element.wire_name != kNoIndex ? s_.str(element.wire_name) : "member";
        w_.open(name);
        for (const json& e : v) {
          if (!value(element_name, s_.target(element), e)) {
            return false;
          }
        }
        w_.close();
        return true;
      }
      case ShapeType::kMap: {
        if (!v.is_object()) {
          return fail(std::string(name) + " is not an object");
        }
        const auto kv = s_.members_of(shape);
        const std::string_view key_name =
            kv[0].wire_name != kNoIndex ? s_.str(kv[0].wire_name) : "key";
        const std::string_view value_name =
            kv[1].wire_name != kNoIndex ? s_.str(kv[1].wire_name) : "value";
        w_.open(name);
        for (const auto& [k, e] : v.items()) {
          w_.open("entry");
          w_.element(key_name, k);
          if (!value(value_name, s_.target(kv[1]), e)) {
            return false;
          }
          w_.close();
        }
        w_.close();
        return true;
      }
      default: {
        const auto text = scalar_text(shape, v, ec2_);
        if (!text) {
          return fail(std::string(name) + " has the wrong type");
        }
        w_.element(name, *text);
        return true;
      }
    }
  }

 public:
  // A scalar as query parameters and XML carry it; nullopt on a type mismatch.
  static std::optional<std::string> scalar_text(const ShapeModel& shape,
                                                const json& v,
                                                bool millis) {
    switch (shape.type) {
      case ShapeType::kString:
      case ShapeType::kBlob:
        if (!v.is_string()
            || (shape.type == ShapeType::kBlob && !is_base64(v.get_ref<const std::string&>()))) {
          return std::nullopt;
        }
        return v.get<std::string>();
      case ShapeType::kInteger:
      case ShapeType::kLong:
        if (v.is_number_unsigned()) {
          return std::to_string(v.get<uint64_t>());
        }
        if (!v.is_number_integer()) {
          return std::nullopt;
        }
        return std::to_string(v.get<int64_t>());
      case ShapeType::kBoolean:
        if (!v.is_boolean()) {
          return std::nullopt;
        }
        return std::string(v.get<bool>() ? "true" : "false");
      case ShapeType::kFloat:
      case ShapeType::kDouble:
        if (!v.is_number()) {
          return std::nullopt;
        }
        return format_double(v.get<double>());
      case ShapeType::kTimestamp: {
        const auto t = document_timestamp(v);
        if (!t) {
          return std::nullopt;
        }
        return format_iso8601(*t, millis);
      }
      default:
        return std::nullopt;
    }
  }

 private:
  const ServiceModel& s_;
  XmlWriter& w_;
  bool ec2_;
};

std::string content_type(const ServiceModel& s) {
  return is_ec2(s) ? "text/xml;charset=UTF-8" : "text/xml";
}

// ---- Request encoding (client).

class QueryEncoder {
 public:
  explicit QueryEncoder(const ServiceModel& s) : s_(s), ec2_(is_ec2(s)) {}

  std::optional<sim::AwsError> error;
  std::string body;

  bool structure(const ShapeModel& shape, const json& v, const std::string& prefix) {
    if (!v.is_object()) {
      return fail(prefix);
    }
    MemberSlots slots;
    match_members(s_, shape, v, slots);
    const auto members = s_.members_of(shape);
    for (std::size_t i = 0; i < members.size(); ++i) {
      const MemberModel& m = members[i];
      if (slots[i] != nullptr
          && !value(&m, s_.target(m), *slots[i], join(prefix, input_name(s_, m)))) {
        return false;
      }
    }
    return true;
  }

 private:
  bool fail(const std::string& path) {
    if (!error) {
      error = sim::aws_error("ParamValidationError",
                             "Invalid type for parameter " + (path.empty() ? "input" : path));
    }
    return false;
  }

  bool value(const MemberModel* ref,
             const ShapeModel& shape,
             const json& v,
             const std::string& key) {
    switch (shape.type) {
      case ShapeType::kStructure:
        return structure(shape, v, key);
      case ShapeType::kList: {
        if (!v.is_array()) {
          return fail(key);
        }
        const MemberModel& element = s_.members_of(shape)[0];
        std::string list_prefix = key;
        if (!ec2_) {
          if (v.empty()) {
            append_form_param(body, key, "");
            return true;
          }
          if (ref != nullptr && flattened(*ref, shape)) {
            if (element.wire_name != kNoIndex) {
              const std::size_t dot = key.rfind('.');
              list_prefix = join(dot == std::string::npos ? "" : key.substr(0, dot),
                                 s_.str(element.wire_name));
            }
          } else {
            list_prefix = join(key,
                               element.wire_name != kNoIndex ? s_.str(element.wire_name)
                                                             : std::string_view("member"));
          }
        }
        for (std::size_t i = 0; i < v.size(); ++i) {
          if (!value(
                  &element, s_.target(element), v[i], join(list_prefix, std::to_string(i + 1)))) {
            return false;
          }
        }
        return true;
      }
      case ShapeType::kMap: {
        if (!v.is_object()) {
          return fail(key);
        }
        const auto kv = s_.members_of(shape);
        const std::string prefix =
            ref != nullptr && flattened(*ref, shape) ? key : join(key, "entry");
        const std::string_view key_name =
            kv[0].wire_name != kNoIndex ? s_.str(kv[0].wire_name) : "key";
        const std::string_view value_name =
            kv[1].wire_name != kNoIndex ? s_.str(kv[1].wire_name) : "value";
        std::size_t i = 0;
        for (const auto& [k, e] : v.items()) {
          const std::string entry = join(prefix, std::to_string(++i));
          append_form_param(body, join(entry, key_name), k);
          if (!value(&kv[1], s_.target(kv[1]), e, join(entry, value_name))) {
            return false;
          }
        }
        return true;
      }
      default: {
        const auto text = XmlEncoder::scalar_text(shape, v, false);
        if (!text) {
          return fail(key);
        }
        append_form_param(body, key, *text);
        return true;
      }
    }
  }

  const ServiceModel& s_;
  bool ec2_;
};

// ---- Response decoding (client).

sim::AwsError malformed_response(int status, std::string what) {
  return sim::aws_error("MalformedResponse", "Unable to parse the response: " + what, status);
}

class XmlDecoder {
 public:
  explicit XmlDecoder(const ServiceModel& s) : s_(s) {}

  std::optional<std::string> error;

  bool structure(const ShapeModel& shape, const XmlNode& node, json& out) {
    out = json::object();
    const auto members = s_.members_of(shape);
    // Which members have been read: like botocore, the first element of a name wins, except for
    // flattened lists, which collect every element of their name.
    std::vector<bool> seen(members.size(), false);
    for (const XmlNode& child : node.children) {
      const std::string_view local = child.local_name();
      for (std::size_t i = 0; i < members.size(); ++i) {
        const MemberModel& m = members[i];
        const ShapeModel& target = s_.target(m);
        const bool flat = target.type == ShapeType::kList && flattened(m, target);
        std::string_view name = output_name(s_, m);
        if (flat && s_.members_of(target)[0].wire_name != kNoIndex) {
          name = s_.str(s_.members_of(target)[0].wire_name);
        }
        if (name != local || (seen[i] && !flat)) {
          continue;
        }
        json value;
        bool present = true;
        const ShapeModel& value_shape = flat ? s_.target(s_.members_of(target)[0]) : target;
        if (!node_value(value_shape, child, value, present)) {
          return false;
        }
        const std::string key(s_.str(m.name));
        if (flat) {
          json& list = out[key];
          if (!list.is_array()) {
            list = json::array();
          }
          if (present) {
            list.push_back(std::move(value));
          }
        } else if (present) {
          out[key] = std::move(value);
        }
        seen[i] = true;
        break;
      }
    }
    return true;
  }

 private:
  bool node_value(const ShapeModel& shape, const XmlNode& node, json& out, bool& present) {
    present = true;
    switch (shape.type) {
      case ShapeType::kStructure:
        return structure(shape, node, out);
      case ShapeType::kList: {
        out = json::array();
        const ShapeModel& element = s_.target(s_.members_of(shape)[0]);
        for (const XmlNode& c : node.children) {
          json e;
          bool element_present = true;
          if (!node_value(element, c, e, element_present)) {
            return false;
          }
          if (element_present) {
            out.push_back(std::move(e));
          }
        }
        return true;
      }
      case ShapeType::kMap: {
        out = json::object();
        const auto kv = s_.members_of(shape);
        const std::string_view key_name =
            kv[0].wire_name != kNoIndex ? s_.str(kv[0].wire_name) : "key";
        const std::string_view value_name =
            kv[1].wire_name != kNoIndex ? s_.str(kv[1].wire_name) : "value";
        for (const XmlNode& entry : node.children) {
          const XmlNode* k = entry.child(key_name);
          const XmlNode* v = entry.child(value_name);
          if (k == nullptr || v == nullptr) {
            continue;
          }
          json converted;
          bool value_present = true;
          if (!node_value(s_.target(kv[1]), *v, converted, value_present)) {
            return false;
          }
          if (value_present) {
            out[k->text] = std::move(converted);
          }
        }
        return true;
      }
      default:
        return scalar(shape, node, out, present);
    }
  }

  bool scalar(const ShapeModel& shape, const XmlNode& node, json& out, bool& present) {
    const std::string& t = node.text;
    if (shape.type == ShapeType::kString) {
      out = t;
      return true;
    }
    if (t.empty()) {
      present = false;  // botocore cannot convert an empty element either; leave it out.
      return true;
    }
    switch (shape.type) {
      case ShapeType::kInteger:
      case ShapeType::kLong: {
        const auto n = parse_int(t, integer_min(shape.type), integer_max(shape.type));
        if (!n) {
          return fail("<" + node.name + "> is not an integer");
        }
        out = *n;
        return true;
      }
      case ShapeType::kBoolean:
        out = t == "true";
        return true;
      case ShapeType::kFloat:
      case ShapeType::kDouble: {
        const auto d = parse_double(t);
        if (!d) {
          return fail("<" + node.name + "> is not a number");
        }
        out = *d;
        return true;
      }
      case ShapeType::kTimestamp: {
        const auto ts = parse_timestamp_text(t);
        if (!ts) {
          return fail("<" + node.name + "> is not a timestamp");
        }
        out = timestamp_document(*ts);
        return true;
      }
      case ShapeType::kBlob:
        if (!is_base64(t)) {
          return fail("<" + node.name + "> is not base64");
        }
        out = t;
        return true;
      default:
        return fail("unexpected shape");
    }
  }

  bool fail(std::string what) {
    if (!error) {
      error = std::move(what);
    }
    return false;
  }

  const ServiceModel& s_;
};

const XmlNode* find_descendant(const XmlNode& node, std::string_view name, std::size_t depth) {
  if (node.local_name() == name) {
    return &node;
  }
  if (depth == 0) {
    return nullptr;
  }
  for (const XmlNode& c : node.children) {
    if (const XmlNode* found = find_descendant(c, name, depth - 1)) {
      return found;
    }
  }
  return nullptr;
}

sim::AwsError decode_error(const HttpResponse& response) {
  const int status = response.status;
  auto root = parse_xml(response.body);
  const sim::Fault default_fault = status >= 500 ? sim::Fault::kReceiver : sim::Fault::kSender;
  if (!root.ok()) {
    // botocore's generic error: the status as the code.
    return sim::AwsError{
        std::to_string(status), response.body.substr(0, 512), status, default_fault};
  }
  const XmlNode* error = find_descendant(*root, "Error", 3);
  if (error == nullptr) {
    return sim::AwsError{std::to_string(status), "", status, default_fault};
  }
  const XmlNode* code = error->child("Code");
  const XmlNode* message = error->child("Message");
  const XmlNode* type = error->child("Type");
  sim::Fault fault = default_fault;
  if (type != nullptr) {
    fault = type->text == "Receiver" ? sim::Fault::kReceiver : sim::Fault::kSender;
  }
  return sim::AwsError{code != nullptr ? code->text : std::to_string(status),
                       message != nullptr ? message->text : "",
                       status,
                       fault};
}

}  // namespace

sim::Result<OperationRef> identify_query(const ServiceModel& service, const HttpRequest& request) {
  auto params = request_params(request);
  if (!params.ok()) {
    return params.error();
  }
  return find_action(service, *params);
}

sim::Result<DecodedRequest> decode_query_request(const ServiceModel& service,
                                                 const HttpRequest& request) {
  auto params = request_params(request);
  if (!params.ok()) {
    return params.error();
  }
  auto op = find_action(service, *params);
  if (!op.ok()) {
    return op.error();
  }
  auto tree = build_tree(*params);
  if (!tree.ok()) {
    return tree.error();
  }
  DecodedRequest decoded{*op, json::object()};
  const ShapeModel* input = op->input();
  if (input == nullptr) {
    if (is_ec2(service) && !tree->children.empty()) {
      return unknown_parameter(tree->children.begin()->first);
    }
    return decoded;
  }
  QueryDecoder decoder(service);
  if (!decoder.convert_structure(*input, *tree, "", decoded.input)) {
    return *decoder.error;
  }
  return decoded;
}

sim::Result<HttpResponse> encode_query_response(const OperationRef& op,
                                                const nlohmann::json& output,
                                                std::string_view request_id) {
  const ServiceModel& s = op.service();
  HttpResponse response;
  XmlWriter w(response.body);
  XmlEncoder encoder(s, w);
  const std::string root = std::string(op.name()) + "Response";
  const ShapeModel* shape = op.output();
  const json empty = json::object();
  const json& doc = output.is_null() ? empty : output;
  if (is_ec2(s)) {
    w.declaration();
    w.open(root);
    w.attribute("xmlns", xml_namespace(s));
    w.element("requestId", request_id);
    if (shape == nullptr) {
      w.element("return", "true");
    } else if (!encoder.members(*shape, doc)) {
      return *encoder.error;
    }
    w.close();
  } else {
    w.open(root);
    w.attribute("xmlns", xml_namespace(s));
    if (shape != nullptr) {
      const std::string_view wrapper = s.str(op.model().result_wrapper);
      w.open(wrapper.empty() ? std::string(op.name()) + "Result" : std::string(wrapper));
      if (!encoder.members(*shape, doc)) {
        return *encoder.error;
      }
      w.close();
    }
    w.open("ResponseMetadata");
    w.element("RequestId", request_id);
    w.close();
    w.close();
  }
  response.headers.add("Content-Type", content_type(s));
  response.headers.add("x-amzn-RequestId", std::string(request_id));
  return response;
}

HttpResponse encode_query_error(const ServiceModel& service,
                                const sim::AwsError& error,
                                std::string_view request_id) {
  HttpResponse response;
  response.status = error.http_status;
  XmlWriter w(response.body);
  if (is_ec2(service)) {
    w.declaration();
    w.open("Response");
    w.open("Errors");
    w.open("Error");
    w.element("Code", error.code);
    w.element("Message", error.message);
    w.close();
    w.close();
    w.element("RequestID", request_id);
    w.close();
  } else {
    w.open("ErrorResponse");
    w.attribute("xmlns", xml_namespace(service));
    w.open("Error");
    w.element("Type", error.fault == sim::Fault::kReceiver ? "Receiver" : "Sender");
    w.element("Code", error.code);
    w.element("Message", error.message);
    w.close();
    w.element("RequestId", request_id);
    w.close();
  }
  response.headers.add("Content-Type", content_type(service));
  response.headers.add("x-amzn-RequestId", std::string(request_id));
  return response;
}

sim::Result<HttpRequest> encode_query_request(const OperationRef& op, const nlohmann::json& input) {
  const ServiceModel& s = op.service();
  QueryEncoder encoder(s);
  append_form_param(encoder.body, "Action", op.name());
  append_form_param(encoder.body, "Version", s.api_version);
  const ShapeModel* shape = op.input();
  if (shape != nullptr && !input.is_null() && !encoder.structure(*shape, input, "")) {
    return *encoder.error;
  }
  HttpRequest request;
  request.method = std::string(s.str(op.model().http_method));
  request.target = "/";
  request.headers.add("Content-Type", "application/x-www-form-urlencoded; charset=utf-8");
  request.body = std::move(encoder.body);
  return request;
}

sim::Result<DecodedResponse> decode_query_response(const OperationRef& op,
                                                   const HttpResponse& response) {
  if (response.status >= 300) {
    return decode_error(response);
  }
  const ServiceModel& s = op.service();
  auto root = parse_xml(response.body);
  if (!root.ok()) {
    return malformed_response(response.status, root.error().message);
  }
  DecodedResponse decoded{json::object(), ""};
  const XmlNode* body = &*root;
  if (is_ec2(s)) {
    if (const XmlNode* id = root->child("requestId")) {
      decoded.request_id = id->text;
    }
  } else {
    if (const XmlNode* meta = root->child("ResponseMetadata")) {
      if (const XmlNode* id = meta->child("RequestId")) {
        decoded.request_id = id->text;
      }
    }
    const std::string_view wrapper = s.str(op.model().result_wrapper);
    if (!wrapper.empty()) {
      body = root->child(wrapper);
    }
  }
  const ShapeModel* shape = op.output();
  if (shape == nullptr || body == nullptr) {
    return decoded;
  }
  XmlDecoder decoder(s);
  if (!decoder.structure(*shape, *body, decoded.output)) {
    return malformed_response(response.status, *decoder.error);
  }
  return decoded;
}

}  // namespace ibsim::mock_aws::protocol::internal

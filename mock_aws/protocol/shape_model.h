#pragma once
// The shape tables that drive every protocol codec: for each service ibsim serves, the botocore
// model reduced to the shapes reachable from the operations it serves (scripts/shapes/
// operations.txt), as constexpr arrays of small structs that refer to each other by index.
// scripts/gen-shapes.py writes the tables (mock_aws/protocol/generated/); this header defines
// their types and the lookups the codecs use.

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace ibsim::mock_aws::protocol {

// "No string", "no shape", "no pattern": every index field uses this when absent.
inline constexpr uint16_t kNoIndex = 0xFFFF;
// The generator refuses structures with more members (codecs keep one slot per member).
inline constexpr std::size_t kMaxStructureMembers = 256;

enum class ServiceId : uint8_t { kImageBuilder, kEc2, kKms, kIam, kSts, kSsm };

inline constexpr ServiceId kAllServices[] = {ServiceId::kImageBuilder,
                                             ServiceId::kEc2,
                                             ServiceId::kKms,
                                             ServiceId::kIam,
                                             ServiceId::kSts,
                                             ServiceId::kSsm};

enum class Protocol : uint8_t { kRestJson, kEc2Query, kQuery, kJson };

enum class ShapeType : uint8_t {
  kStructure,
  kList,
  kMap,
  kString,
  kInteger,
  kLong,
  kBoolean,
  kTimestamp,
  kBlob,
  kFloat,
  kDouble,
};

// Where a member travels (botocore "location"); kBody when the model names none.
enum class Location : uint8_t { kBody, kHeader, kHeaders, kQueryString, kUri, kStatusCode };

enum class TimestampFormat : uint8_t { kDefault, kIso8601, kUnixTimestamp, kRfc822 };

enum class PatternKind : uint8_t {
  kCharClass,    // "[...]+" or "[...]*": checked code point by code point, any length.
  kRegex,        // Compiled with std::regex (ECMAScript) on first use.
  kUnsupported,  // Java-only syntax: not checked (listed in mock_aws/protocol/README.md).
};

// Member flags.
inline constexpr uint8_t kMemberRequired = 1;
inline constexpr uint8_t kMemberIdempotencyToken = 2;
inline constexpr uint8_t kMemberFlattened = 4;
inline constexpr uint8_t kMemberXmlAttribute = 8;

// Shape flags.
inline constexpr uint8_t kShapeHasMin = 1;
inline constexpr uint8_t kShapeHasMax = 2;
inline constexpr uint8_t kShapeSensitive = 4;
inline constexpr uint8_t kShapeException = 8;
inline constexpr uint8_t kShapeFlattened = 16;

// A reference to a shape: a structure member, or a list's element / a map's key and value
// (those use name = kNoIndex).
struct MemberModel {
  uint16_t name;        // botocore member name, the key in documents
  uint16_t wire_name;   // locationName, kNoIndex when absent
  uint16_t query_name;  // queryName (EC2 input only), kNoIndex when absent
  uint16_t shape;
  Location location;
  uint8_t flags;
  TimestampFormat timestamp_format;  // member-level override, else the shape's
};

struct ShapeModel {
  ShapeType type;
  uint8_t flags;
  uint16_t name;
  // Structure: its members; list: one entry (the element); map: two (key, value).
  uint16_t first_member;
  uint16_t member_count;
  uint16_t first_enum;  // into ServiceModel::enum_values
  uint16_t enum_count;
  uint16_t pattern;      // into ServiceModel::patterns
  uint16_t error_code;   // exceptions: the wire code (botocore error.code, else the shape name)
  uint16_t http_status;  // exceptions: error.httpStatusCode, 0 when not modelled
  TimestampFormat timestamp_format;
  int64_t min;  // length for strings, blobs, lists and maps; value for numbers
  int64_t max;
};

struct CharRange {
  uint32_t first;
  uint32_t last;
};

struct PatternModel {
  uint16_t source;  // the model's pattern, as quoted in error messages
  uint16_t regex;   // kRegex: ECMAScript translation
  PatternKind kind;
  bool negated;  // kCharClass: "[^...]"
  // kCharClass: \p{L}, \p{N}, \p{Z} accept every code point >= 0x80. Deviation from AWS: Java
  // checks the Unicode category; ibsim approximates it by accepting all non-ASCII letters.
  bool any_non_ascii;
  uint8_t min_count;     // kCharClass: 1 for "+", 0 for "*"
  uint16_t first_range;  // kCharClass: into ServiceModel::char_ranges
  uint16_t range_count;
};

struct OperationModel {
  uint16_t name;
  uint16_t http_method;
  uint16_t request_uri;
  uint16_t input;   // shape index, kNoIndex without input
  uint16_t output;  // shape index, kNoIndex without output
  uint16_t result_wrapper;
  uint16_t first_error;  // into ServiceModel::errors (shape indices)
  uint16_t error_count;
};

struct ServiceModel {
  ServiceId id;
  Protocol protocol;
  std::string_view name;  // botocore service name: "imagebuilder", "ec2", ...
  std::string_view api_version;
  std::string_view target_prefix;  // JSON: X-Amz-Target prefix
  std::string_view json_version;
  std::string_view xml_namespace;
  std::string_view signing_name;
  std::span<const std::string_view> strings;
  std::span<const ShapeModel> shapes;
  std::span<const MemberModel> members;
  // Same ranges as `members`; for a structure, its member indices sorted by name.
  std::span<const uint16_t> sorted_members;
  std::span<const uint16_t> enum_values;
  std::span<const uint16_t> errors;
  std::span<const PatternModel> patterns;
  std::span<const CharRange> char_ranges;
  std::span<const OperationModel> operations;  // sorted by name

  std::string_view str(uint16_t index) const {
    return index == kNoIndex ? std::string_view() : strings[index];
  }

  const ShapeModel& shape(uint16_t index) const { return shapes[index]; }

  const MemberModel& member(uint16_t index) const { return members[index]; }

  std::span<const MemberModel> members_of(const ShapeModel& s) const {
    return members.subspan(s.first_member, s.member_count);
  }

  const ShapeModel& target(const MemberModel& m) const { return shapes[m.shape]; }
};

const ServiceModel& service_model(ServiceId id);

// "ec2" -> kEc2; accepts the botocore service name and the SigV4 signing name.
std::optional<ServiceId> find_service(std::string_view name);

// An operation of one service.
class OperationRef {
 public:
  OperationRef(const ServiceModel& service, uint16_t index) : service_(&service), index_(index) {}

  const ServiceModel& service() const { return *service_; }

  const OperationModel& model() const { return service_->operations[index_]; }

  std::string_view name() const { return service_->str(model().name); }

  // Input/output structure, or nullptr when the operation has none.
  const ShapeModel* input() const;
  const ShapeModel* output() const;

  friend bool operator==(const OperationRef& a, const OperationRef& b) {
    return a.service_ == b.service_ && a.index_ == b.index_;
  }

 private:
  const ServiceModel* service_;
  uint16_t index_;
};

std::optional<OperationRef> find_operation(ServiceId service, std::string_view name);

// The member of a structure named `name` (botocore member name), or nullptr.
const MemberModel* find_member(const ServiceModel& service,
                               const ShapeModel& structure,
                               std::string_view name);

// HTTP status the model gives an exception with this wire code, or nullopt when the service
// does not model it.
std::optional<int> modelled_error_status(ServiceId service, std::string_view code);

// Pattern check on a UTF-8 string. nullopt when the pattern cannot be checked here (Java-only
// syntax, or a general regex and a value longer than kMaxRegexInputBytes). Deviation from AWS:
// such values pass unchecked; libstdc++'s std::regex recurses per character, so long inputs are
// not handed to it (character-class patterns, used by the long policy documents, have no limit).
inline constexpr std::size_t kMaxRegexInputBytes = 2048;
std::optional<bool> matches_pattern(const ServiceModel& service,
                                    uint16_t pattern,
                                    std::string_view value);

// Length as AWS's Java services count it: UTF-16 code units of a UTF-8 string (a code point
// above U+FFFF counts two; an invalid byte counts one).
std::size_t utf16_length(std::string_view text);

// Decodes one UTF-8 code point at text[pos], advancing pos; nullopt on an invalid, overlong or
// truncated sequence or a surrogate.
std::optional<uint32_t> next_code_point(std::string_view text, std::size_t& pos);

bool is_valid_utf8(std::string_view text);

}  // namespace ibsim::mock_aws::protocol

#pragma once
// Condition: one (operator, key, values) triple of a statement's Condition block, compiled once —
// every operator of IAM's condition language (String*, Numeric*, Date*, Bool, BinaryEquals,
// IpAddress/NotIpAddress, Arn*, Null), the IfExists suffix and the ForAnyValue:/ForAllValues: set
// qualifiers. Values are parsed when the policy is parsed (numbers, dates, CIDRs, ARN globs), keys
// are lower-cased, so evaluation looks a key up once and compares without allocating (policy
// variables excepted). A statement's conditions are ANDed; a key's values are ORed.
//
//   auto c = Condition::make("StringEquals", "kms:ViaService", {"ec2.us-east-1.amazonaws.com"},
//   true); c->evaluate(ctx)

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "mock_aws/policy/pattern.h"
#include "sim/base/result.h"

namespace ibsim::mock_aws::policy {

class RequestContext;

enum class ConditionFamily : std::uint8_t {
  kString,            // StringEquals, StringNotEquals
  kStringIgnoreCase,  // StringEqualsIgnoreCase, StringNotEqualsIgnoreCase
  kStringLike,        // StringLike, StringNotLike
  kNumeric,
  kDate,
  kBool,
  kBinary,
  kIpAddress,  // IpAddress, NotIpAddress
  kArn,        // ArnEquals, ArnLike, ArnNotEquals, ArnNotLike (identical pairs)
  kNull,
};

enum class Comparison : std::uint8_t {
  kEquals,
  kLessThan,
  kLessThanEquals,
  kGreaterThan,
  kGreaterThanEquals,
};

enum class SetQualifier : std::uint8_t { kNone, kForAnyValue, kForAllValues };

struct ConditionOperator {
  std::string name;  // As written: "ForAllValues:StringLikeIfExists".
  ConditionFamily family = ConditionFamily::kString;
  Comparison comparison = Comparison::kEquals;
  bool negated = false;  // StringNotEquals, NotIpAddress, ArnNotLike, ...
  bool if_exists = false;
  SetQualifier qualifier = SetQualifier::kNone;
};

// Parses an operator name; the error says why it is not one.
sim::Result<ConditionOperator> parse_condition_operator(std::string_view name);

// An IPv4 or IPv6 network; a bare address is /32 or /128.
struct IpRange {
  bool v6 = false;
  std::array<std::uint8_t, 16> bytes{};
  int prefix_bits = 0;
};

bool parse_ip_range(std::string_view text, IpRange& out);
bool ip_in_range(const IpRange& address, const IpRange& range);
// ISO-8601 (W3C profile: 2020-01-01, 2020-01-01T00:00:01Z, ...T00:00:01.5+02:00) or epoch seconds.
bool parse_date_ms(std::string_view text, std::int64_t& unix_ms);

class Condition {
 public:
  // `variables`: policy variables are resolved in String*/Arn* values (Version 2012-10-17).
  // The error (MalformedPolicyDocument) says what is wrong; the caller adds where.
  static sim::Result<Condition> make(std::string_view operator_name,
                                     std::string_view key,
                                     std::vector<std::string> values,
                                     bool variables);

  bool evaluate(const RequestContext& ctx) const;

  const ConditionOperator& op() const { return op_; }

  const std::string& key() const { return key_; }

  const std::vector<std::string>& values() const { return values_; }

  // `StringEquals kms:ViaService ["ec2.us-east-1.amazonaws.com"]`
  std::string describe() const;
  // Why evaluate() is false for this request, in one sentence.
  std::string explain_failure(const RequestContext& ctx) const;

 private:
  enum class ValueResult : std::uint8_t { kNo, kYes, kInvalid };

  // Whether one request value matches any of the policy's values (before negation).
  ValueResult match_any(std::string_view request_value, const RequestContext& ctx) const;

  ConditionOperator op_;
  std::string key_;
  std::string key_lower_;
  std::vector<std::string> values_;  // As written (numbers and booleans as text).
  std::vector<Pattern> patterns_;    // String families.
  std::vector<ArnPattern> arns_;
  std::vector<double> numbers_;
  std::vector<std::int64_t> dates_ms_;
  std::vector<IpRange> ranges_;
  std::vector<bool> bools_;  // Bool; Null: true means "must be absent".
};

}  // namespace ibsim::mock_aws::policy

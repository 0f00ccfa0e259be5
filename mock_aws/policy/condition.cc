#include "mock_aws/policy/condition.h"

#include <charconv>
#include <cmath>

#include "mock_aws/policy/request_context.h"
#include "mock_aws/policy/text.h"

namespace ibsim::mock_aws::policy {
namespace {

struct BaseOperator {
  std::string_view name;
  ConditionFamily family;
  Comparison comparison;
  bool negated;
};

constexpr BaseOperator kBaseOperators[] = {
    {"StringEquals", ConditionFamily::kString, Comparison::kEquals, false},
    {"StringNotEquals", ConditionFamily::kString, Comparison::kEquals, true},
    {"StringEqualsIgnoreCase", ConditionFamily::kStringIgnoreCase, Comparison::kEquals, false},
    {"StringNotEqualsIgnoreCase", ConditionFamily::kStringIgnoreCase, Comparison::kEquals, true},
    {"StringLike", ConditionFamily::kStringLike, Comparison::kEquals, false},
    {"StringNotLike", ConditionFamily::kStringLike, Comparison::kEquals, true},
    {"NumericEquals", ConditionFamily::kNumeric, Comparison::kEquals, false},
    {"NumericNotEquals", ConditionFamily::kNumeric, Comparison::kEquals, true},
    {"NumericLessThan", ConditionFamily::kNumeric, Comparison::kLessThan, false},
    {"NumericLessThanEquals", ConditionFamily::kNumeric, Comparison::kLessThanEquals, false},
    {"NumericGreaterThan", ConditionFamily::kNumeric, Comparison::kGreaterThan, false},
    {"NumericGreaterThanEquals", ConditionFamily::kNumeric, Comparison::kGreaterThanEquals, false},
    {"DateEquals", ConditionFamily::kDate, Comparison::kEquals, false},
    {"DateNotEquals", ConditionFamily::kDate, Comparison::kEquals, true},
    {"DateLessThan", ConditionFamily::kDate, Comparison::kLessThan, false},
    {"DateLessThanEquals", ConditionFamily::kDate, Comparison::kLessThanEquals, false},
    {"DateGreaterThan", ConditionFamily::kDate, Comparison::kGreaterThan, false},
    {"DateGreaterThanEquals", ConditionFamily::kDate, Comparison::kGreaterThanEquals, false},
    {"Bool", ConditionFamily::kBool, Comparison::kEquals, false},
    {"BinaryEquals", ConditionFamily::kBinary, Comparison::kEquals, false},
    {"IpAddress", ConditionFamily::kIpAddress, Comparison::kEquals, false},
    {"NotIpAddress", ConditionFamily::kIpAddress, Comparison::kEquals, true},
    {"ArnEquals", ConditionFamily::kArn, Comparison::kEquals, false},
    {"ArnLike", ConditionFamily::kArn, Comparison::kEquals, false},
    {"ArnNotEquals", ConditionFamily::kArn, Comparison::kEquals, true},
    {"ArnNotLike", ConditionFamily::kArn, Comparison::kEquals, true},
    {"Null", ConditionFamily::kNull, Comparison::kEquals, false},
};

constexpr std::string_view kForAnyValue = "ForAnyValue:";
constexpr std::string_view kForAllValues = "ForAllValues:";
constexpr std::string_view kIfExists = "IfExists";

sim::AwsError malformed(std::string message) {
  return sim::aws_error("MalformedPolicyDocument", std::move(message));
}

template <typename T>
bool compare(Comparison cmp, T request, T policy) {
  switch (cmp) {
    case Comparison::kEquals:
      return request == policy;
    case Comparison::kLessThan:
      return request < policy;
    case Comparison::kLessThanEquals:
      return request <= policy;
    case Comparison::kGreaterThan:
      return request > policy;
    case Comparison::kGreaterThanEquals:
      return request >= policy;
  }
  return false;
}

bool parse_number(std::string_view text, double& out) {
  if (!text.empty() && text.front() == '+') {
    text.remove_prefix(1);
  }
  if (text.empty()) {
    return false;
  }
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, out);
  return ec == std::errc() && ptr == end && std::isfinite(out);
}

bool parse_bool(std::string_view text, bool& out) {
  if (iequals_ascii(text, "true")) {
    out = true;
    return true;
  }
  if (iequals_ascii(text, "false")) {
    out = false;
    return true;
  }
  return false;
}

bool is_base64(std::string_view text) {
  if (text.empty()) {
    return false;
  }
  for (const char c : text) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '+' || c == '/' || c == '=';
    if (!ok) {
      return false;
    }
  }
  return true;
}

// Reads exactly `digits` decimal digits at `pos`.
bool read_digits(std::string_view s, std::size_t& pos, std::size_t digits, int& out) {
  if (pos + digits > s.size()) {
    return false;
  }
  int value = 0;
  for (std::size_t i = 0; i < digits; ++i) {
    const char c = s[pos + i];
    if (c < '0' || c > '9') {
      return false;
    }
    value = value * 10 + (c - '0');
  }
  pos += digits;
  out = value;
  return true;
}

std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2 ? 1 : 0;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

unsigned days_in_month(int year, int month) {
  static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29U : kDays[month - 1];
}

bool parse_epoch(std::string_view text, std::int64_t& unix_ms) {
  double seconds = 0;
  for (const char c : text) {
    if (!((c >= '0' && c <= '9') || c == '.' || c == '-')) {
      return false;
    }
  }
  if (!parse_number(text, seconds) || std::fabs(seconds) > 1e14) {
    return false;
  }
  unix_ms = static_cast<std::int64_t>(std::llround(seconds * 1000.0));
  return true;
}

bool parse_ipv4(std::string_view text, std::uint8_t* out) {
  int parts = 0;
  std::size_t pos = 0;
  while (parts < 4) {
    std::size_t len = 0;
    int value = 0;
    while (pos + len < text.size() && text[pos + len] >= '0' && text[pos + len] <= '9' && len < 4) {
      value = value * 10 + (text[pos + len] - '0');
      ++len;
    }
    if (len == 0 || len > 3 || value > 255) {
      return false;
    }
    out[parts++] = static_cast<std::uint8_t>(value);
    pos += len;
    if (parts < 4) {
      if (pos >= text.size() || text[pos] != '.') {
        return false;
      }
      ++pos;
    }
  }
  return pos == text.size();
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') {
    return c - '0';
  }
  const char l = ascii_lower(c);
  if (l >= 'a' && l <= 'f') {
    return l - 'a' + 10;
  }
  return -1;
}

bool parse_ipv6(std::string_view text, std::array<std::uint8_t, 16>& out) {
  std::array<std::uint16_t, 8> groups{};
  int count = 0;
  int gap_at = -1;  // Index of the '::' gap in `groups`.
  std::size_t pos = 0;
  if (text.starts_with("::")) {
    gap_at = 0;
    pos = 2;
  }
  while (pos < text.size()) {
    if (count >= 8) {
      return false;
    }
    // An embedded IPv4 address ends the text ("::ffff:192.0.2.1").
    const std::size_t next_colon = text.find(':', pos);
    const std::string_view group = text.substr(
        pos, next_colon == std::string_view::npos ? std::string_view::npos : next_colon - pos);
    if (group.find('.') != std::string_view::npos) {
      if (next_colon != std::string_view::npos || count > 6) {
        return false;
      }
      std::uint8_t v4[4];
      if (!parse_ipv4(group, v4)) {
        return false;
      }
      groups[static_cast<std::size_t>(count++)] = static_cast<std::uint16_t>((v4[0] << 8) | v4[1]);
      groups[static_cast<std::size_t>(count++)] = static_cast<std::uint16_t>((v4[2] << 8) | v4[3]);
      pos = text.size();
      break;
    }
    if (group.empty() || group.size() > 4) {
      return false;
    }
    unsigned value = 0;
    for (const char c : group) {
      const int h = hex_value(c);
      if (h < 0) {
        return false;
      }
      value = value * 16 + static_cast<unsigned>(h);
    }
    groups[static_cast<std::size_t>(count++)] = static_cast<std::uint16_t>(value);
    pos += group.size();
    if (pos == text.size()) {
      break;
    }
    // pos is at ':'.
    if (pos + 1 < text.size() && text[pos + 1] == ':') {
      if (gap_at >= 0) {
        return false;
      }
      gap_at = count;
      pos += 2;
    } else {
      ++pos;
      if (pos == text.size()) {
        return false;  // Trailing single ':'.
      }
    }
  }
  std::array<std::uint16_t, 8> full{};
  if (gap_at >= 0) {
    if (count > 7) {
      return false;
    }
    const int tail = count - gap_at;
    for (int i = 0; i < gap_at; ++i) {
      full[static_cast<std::size_t>(i)] = groups[static_cast<std::size_t>(i)];
    }
    for (int i = 0; i < tail; ++i) {
      full[static_cast<std::size_t>(8 - tail + i)] = groups[static_cast<std::size_t>(gap_at + i)];
    }
  } else {
    if (count != 8) {
      return false;
    }
    full = groups;
  }
  for (std::size_t i = 0; i < 8; ++i) {
    out[2 * i] = static_cast<std::uint8_t>(full[i] >> 8);
    out[2 * i + 1] = static_cast<std::uint8_t>(full[i] & 0xFF);
  }
  return true;
}

std::string join_quoted(const std::vector<std::string>& values) {
  std::string out = "[";
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i > 0) {
      out += ", ";
    }
    out += quote(values[i]);
  }
  out += "]";
  return out;
}

}  // namespace

bool parse_ip_range(std::string_view text, IpRange& out) {
  IpRange range;
  std::string_view address = text;
  int prefix = -1;
  const std::size_t slash = text.find('/');
  if (slash != std::string_view::npos) {
    address = text.substr(0, slash);
    const std::string_view bits = text.substr(slash + 1);
    if (bits.empty() || bits.size() > 3) {
      return false;
    }
    prefix = 0;
    for (const char c : bits) {
      if (c < '0' || c > '9') {
        return false;
      }
      prefix = prefix * 10 + (c - '0');
    }
  }
  if (address.find(':') != std::string_view::npos) {
    range.v6 = true;
    if (!parse_ipv6(address, range.bytes)) {
      return false;
    }
    if (prefix > 128) {
      return false;
    }
    range.prefix_bits = prefix < 0 ? 128 : prefix;
  } else {
    if (!parse_ipv4(address, range.bytes.data())) {
      return false;
    }
    if (prefix > 32) {
      return false;
    }
    range.prefix_bits = prefix < 0 ? 32 : prefix;
  }
  out = range;
  return true;
}

bool ip_in_range(const IpRange& address, const IpRange& range) {
  if (address.v6 != range.v6) {
    return false;
  }
  int bits = range.prefix_bits;
  for (std::size_t i = 0; bits > 0; ++i, bits -= 8) {
    const int take = bits >= 8 ? 8 : bits;
    const auto mask = static_cast<std::uint8_t>(0xFF << (8 - take));
    if ((address.bytes[i] & mask) != (range.bytes[i] & mask)) {
      return false;
    }
  }
  return true;
}

bool parse_date_ms(std::string_view text, std::int64_t& unix_ms) {
  if (text.empty()) {
    return false;
  }
  // Unconfirmed: digits alone are epoch seconds (so "2020" is not the year 2020).
  if (text.find('-', 1) == std::string_view::npos && text.find('T') == std::string_view::npos) {
    return parse_epoch(text, unix_ms);
  }
  std::size_t pos = 0;
  int year = 0;
  int month = 1;
  int day = 1;
  int hour = 0;
  int minute = 0;
  int second = 0;
  double fraction = 0;
  if (!read_digits(text, pos, 4, year)) {
    return false;
  }
  if (pos < text.size() && text[pos] == '-') {
    ++pos;
    if (!read_digits(text, pos, 2, month) || month < 1 || month > 12) {
      return false;
    }
    if (pos < text.size() && text[pos] == '-') {
      ++pos;
      if (!read_digits(text, pos, 2, day) || day < 1
          || static_cast<unsigned>(day) > days_in_month(year, month)) {
        return false;
      }
    }
  }
  std::int64_t offset_minutes = 0;
  if (pos < text.size() && text[pos] == 'T') {
    ++pos;
    if (!read_digits(text, pos, 2, hour) || pos >= text.size() || text[pos] != ':') {
      return false;
    }
    ++pos;
    if (!read_digits(text, pos, 2, minute)) {
      return false;
    }
    if (pos < text.size() && text[pos] == ':') {
      ++pos;
      if (!read_digits(text, pos, 2, second)) {
        return false;
      }
      if (pos < text.size() && text[pos] == '.') {
        const std::size_t start = ++pos;
        double scale = 0.1;
        while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
          fraction += scale * (text[pos] - '0');
          scale /= 10;
          ++pos;
        }
        if (pos == start) {
          return false;
        }
      }
    }
    if (hour > 23 || minute > 59 || second > 60) {
      return false;
    }
    // Unconfirmed: a time without a zone designator is read as UTC.
    if (pos < text.size()) {
      if (text[pos] == 'Z') {
        ++pos;
      } else if (text[pos] == '+' || text[pos] == '-') {
        const bool negative = text[pos] == '-';
        ++pos;
        int oh = 0;
        int om = 0;
        if (!read_digits(text, pos, 2, oh)) {
          return false;
        }
        if (pos < text.size() && text[pos] == ':') {
          ++pos;
        }
        if (!read_digits(text, pos, 2, om) || oh > 23 || om > 59) {
          return false;
        }
        offset_minutes = (negative ? -1 : 1) * (oh * 60 + om);
      }
    }
  }
  if (pos != text.size()) {
    return false;
  }
  const std::int64_t days =
      days_from_civil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
  const std::int64_t seconds =
      days * 86400 + hour * 3600 + minute * 60 + second - offset_minutes * 60;
  unix_ms = seconds * 1000 + static_cast<std::int64_t>(std::llround(fraction * 1000.0));
  return true;
}

sim::Result<ConditionOperator> parse_condition_operator(std::string_view name) {
  ConditionOperator op;
  op.name = std::string(name);
  std::string_view base = name;
  if (base.starts_with(kForAnyValue)) {
    op.qualifier = SetQualifier::kForAnyValue;
    base.remove_prefix(kForAnyValue.size());
  } else if (base.starts_with(kForAllValues)) {
    op.qualifier = SetQualifier::kForAllValues;
    base.remove_prefix(kForAllValues.size());
  }
  if (base.ends_with(kIfExists) && base != kIfExists) {
    op.if_exists = true;
    base.remove_suffix(kIfExists.size());
  }
  // Unconfirmed: operator names are matched case-sensitively, as AWS documents them.
  for (const BaseOperator& b : kBaseOperators) {
    if (b.name == base) {
      op.family = b.family;
      op.comparison = b.comparison;
      op.negated = b.negated;
      if (op.family == ConditionFamily::kNull && op.if_exists) {
        return malformed("IfExists cannot be added to the Null condition operator");
      }
      if (op.family == ConditionFamily::kNull && op.qualifier != SetQualifier::kNone) {
        // Unconfirmed: ibsim rejects ForAnyValue:Null / ForAllValues:Null.
        return malformed(
            "the Null condition operator takes no ForAnyValue:/ForAllValues: qualifier");
      }
      return op;
    }
  }
  return malformed("Invalid Condition type : " + std::string(name));
}

sim::Result<Condition> Condition::make(std::string_view operator_name,
                                       std::string_view key,
                                       std::vector<std::string> values,
                                       bool variables) {
  sim::Result<ConditionOperator> op = parse_condition_operator(operator_name);
  if (!op.ok()) {
    return op.error();
  }
  Condition c;
  c.op_ = std::move(op).value();
  c.key_ = std::string(key);
  c.key_lower_ = to_lower_ascii(key);
  c.values_ = std::move(values);
  auto bad_value = [&](const std::string& value, std::string_view expected) {
    return malformed(c.op_.name + " on " + c.key_ + ": " + quote(value) + " is not "
                     + std::string(expected));
  };
  for (const std::string& value : c.values_) {
    switch (c.op_.family) {
      case ConditionFamily::kString:
        c.patterns_.push_back(
            Pattern::compile(value, {.wildcards = false, .variables = variables}));
        break;
      case ConditionFamily::kStringIgnoreCase:
        // Deviation from AWS: case is folded for ASCII letters only.
        c.patterns_.push_back(Pattern::compile(
            value, {.wildcards = false, .variables = variables, .fold_case = true}));
        break;
      case ConditionFamily::kStringLike:
        c.patterns_.push_back(Pattern::compile(value, {.wildcards = true, .variables = variables}));
        break;
      case ConditionFamily::kArn:
        // ArnEquals and ArnLike behave identically: both take wildcards (IAM-CONDOPS).
        c.arns_.push_back(ArnPattern::compile(value, false, variables));
        break;
      // Unconfirmed: numbers, dates, booleans, CIDRs and base64 in the policy are checked when it
      // is parsed; IAM might accept a bad value and simply never match it.
      case ConditionFamily::kNumeric: {
        double number = 0;
        if (!parse_number(value, number)) {
          return bad_value(value, "a number");
        }
        c.numbers_.push_back(number);
        break;
      }
      case ConditionFamily::kDate: {
        std::int64_t ms = 0;
        if (!parse_date_ms(value, ms)) {
          return bad_value(value, "an ISO-8601 date or epoch time");
        }
        c.dates_ms_.push_back(ms);
        break;
      }
      case ConditionFamily::kBool:
      case ConditionFamily::kNull: {
        bool b = false;
        if (!parse_bool(value, b)) {
          return bad_value(value, "\"true\" or \"false\"");
        }
        c.bools_.push_back(b);
        break;
      }
      case ConditionFamily::kBinary:
        if (!is_base64(value)) {
          return bad_value(value, "base64");
        }
        break;
      case ConditionFamily::kIpAddress: {
        IpRange range;
        if (!parse_ip_range(value, range)) {
          return bad_value(value, "an IP address or CIDR range");
        }
        c.ranges_.push_back(range);
        break;
      }
    }
  }
  return c;
}

Condition::ValueResult Condition::match_any(std::string_view v, const RequestContext& ctx) const {
  switch (op_.family) {
    case ConditionFamily::kString:
    case ConditionFamily::kStringIgnoreCase:
    case ConditionFamily::kStringLike: {
      bool unresolved = false;
      for (const Pattern& p : patterns_) {
        if (!p.has_variables()) {
          if (p.match_plain(v)) {
            return ValueResult::kYes;
          }
          continue;
        }
        const MatchResult r = p.match(v, ctx);
        if (r == MatchResult::kMatch) {
          return ValueResult::kYes;
        }
        unresolved = unresolved || r == MatchResult::kUnresolved;
      }
      return unresolved ? ValueResult::kInvalid : ValueResult::kNo;
    }
    case ConditionFamily::kArn: {
      bool unresolved = false;
      for (const ArnPattern& p : arns_) {
        const MatchResult r = p.match(v, ctx);
        if (r == MatchResult::kMatch) {
          return ValueResult::kYes;
        }
        unresolved = unresolved || r == MatchResult::kUnresolved;
      }
      return unresolved ? ValueResult::kInvalid : ValueResult::kNo;
    }
    case ConditionFamily::kNumeric: {
      double request = 0;
      if (!parse_number(v, request)) {
        return ValueResult::kInvalid;
      }
      for (const double policy : numbers_) {
        if (compare(op_.comparison, request, policy)) {
          return ValueResult::kYes;
        }
      }
      return ValueResult::kNo;
    }
    case ConditionFamily::kDate: {
      std::int64_t request = 0;
      if (!parse_date_ms(v, request)) {
        return ValueResult::kInvalid;
      }
      for (const std::int64_t policy : dates_ms_) {
        if (compare(op_.comparison, request, policy)) {
          return ValueResult::kYes;
        }
      }
      return ValueResult::kNo;
    }
    case ConditionFamily::kBool: {
      bool request = false;
      if (!parse_bool(v, request)) {
        return ValueResult::kInvalid;
      }
      for (const bool policy : bools_) {
        if (request == policy) {
          return ValueResult::kYes;
        }
      }
      return ValueResult::kNo;
    }
    case ConditionFamily::kBinary:
      // Deviation from AWS: the base64 texts are compared, not the decoded bytes (they differ
      // only for non-canonical padding).
      for (const std::string& policy : values_) {
        if (policy == v) {
          return ValueResult::kYes;
        }
      }
      return ValueResult::kNo;
    case ConditionFamily::kIpAddress: {
      IpRange request;
      if (!parse_ip_range(v, request)) {
        return ValueResult::kInvalid;
      }
      for (const IpRange& range : ranges_) {
        if (ip_in_range(request, range)) {
          return ValueResult::kYes;
        }
      }
      return ValueResult::kNo;
    }
    case ConditionFamily::kNull:
      break;
  }
  return ValueResult::kInvalid;
}

bool Condition::evaluate(const RequestContext& ctx) const {
  const ContextKey* k = ctx.find_lower(key_lower_);
  // An empty set behaves like a missing key (IAM-MULTI).
  const bool present = k != nullptr && !k->values.empty();
  if (op_.family == ConditionFamily::kNull) {
    for (const bool must_be_absent : bools_) {
      if (must_be_absent == !present) {
        return true;
      }
    }
    return false;
  }
  if (!present) {
    switch (op_.qualifier) {
      case SetQualifier::kForAllValues:
        return true;
      case SetQualifier::kForAnyValue:
        // Unconfirmed: IfExists does not rescue ForAnyValue on a missing or empty key (it applies
        // per request value, and there is none): a re:Post user saw AWS deny sqs:ListQueues, which
        // has no aws:TagKeys, under an Allow conditioned on ForAnyValue:StringEqualsIfExists
        // aws:TagKeys; @cloud-copilot/iam-simulate agrees.
        return false;
      case SetQualifier::kNone:
        return op_.if_exists || op_.negated;
    }
  }
  // Unconfirmed: a request value that is not a number/date/IP/boolean for the operator, or a policy
  // variable that cannot be resolved, makes the condition false — negated operators included.
  auto one = [&](std::string_view v) {
    const ValueResult r = match_any(v, ctx);
    if (r == ValueResult::kInvalid) {
      return false;
    }
    return (r == ValueResult::kYes) != op_.negated;
  };
  switch (op_.qualifier) {
    case SetQualifier::kNone:
      // Unconfirmed: multivalued keys require ForAnyValue/ForAllValues (IAM, single-valued vs
      // multivalued context keys); without one the condition is false on such a key, negated
      // operators included (reported as confirmed by AWS at re:Inforce 2025, session IAM431).
      if (k->multi_valued || k->values.size() != 1) {
        return false;
      }
      return one(k->values.front());
    case SetQualifier::kForAnyValue:
      for (const std::string& v : k->values) {
        if (one(v)) {
          return true;
        }
      }
      return false;
    case SetQualifier::kForAllValues:
      for (const std::string& v : k->values) {
        if (!one(v)) {
          return false;
        }
      }
      return true;
  }
  return false;
}

std::string Condition::describe() const {
  return op_.name + " " + key_ + " " + join_quoted(values_);
}

std::string Condition::explain_failure(const RequestContext& ctx) const {
  const ContextKey* k = ctx.find_lower(key_lower_);
  const bool present = k != nullptr && !k->values.empty();
  if (op_.family == ConditionFamily::kNull) {
    return present ? "Null requires " + key_ + " to be absent, but the request has it"
                   : "Null requires " + key_ + " to be present, but the request does not have it";
  }
  if (!present) {
    return key_ + " is not in the request context, so " + op_.name + " is false";
  }
  std::string request_values;
  if (k->values.size() == 1 && !k->multi_valued) {
    request_values = quote(k->values.front());
  } else {
    request_values = join_quoted(k->values);
  }
  return "the request's " + key_ + " is " + request_values + ", which does not satisfy "
         + describe();
}

}  // namespace ibsim::mock_aws::policy

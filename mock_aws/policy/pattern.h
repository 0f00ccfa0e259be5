#pragma once
// Pattern: one compiled string pattern from a policy (an action name, an ARN segment, a condition
// value) and ArnPattern: an ARN matched segment by segment. Wildcards are a real glob — `*` is any
// run of characters, `?` exactly one byte, every other character (`.` included) is literal — never
// a regular expression. Policy variables (${aws:username}, ${aws:PrincipalTag/team, 'none'}) and
// the escapes ${*} ${?} ${$} are resolved from the request; patterns without variables are compiled
// once and match without allocating.
// Deviation from AWS: `?` is one byte, where AWS presumably means one character (non-ASCII only).
//
//   Pattern p = Pattern::compile("home/${aws:username}/*", {.wildcards = true, .variables = true});
//   p.match("home/bob/x", ctx) == MatchResult::kMatch

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace ibsim::mock_aws::policy {

class RequestContext;

struct PatternOptions {
  bool wildcards = true;   // '*' and '?' are wildcards (Action, Resource, StringLike, ArnLike).
  bool variables = false;  // ${...} are policy variables (policies with Version 2012-10-17).
  bool fold_case = false;  // ASCII case-insensitive (Action, StringEqualsIgnoreCase).
};

enum class MatchResult : std::uint8_t {
  kNoMatch,
  kMatch,
  kUnresolved,  // A policy variable has no value in the request and no default.
};

class Pattern {
 public:
  Pattern() = default;

  static Pattern compile(std::string_view text, PatternOptions options);

  const std::string& text() const { return source_; }

  bool has_variables() const { return has_variables_; }

  // "*" with wildcards on: matches everything.
  bool is_any() const { return !has_variables_ && glob_.any; }

  // True when the pattern has a `*` wildcard (used to expand short ARNs).
  bool has_star() const { return has_star_; }

  // Patterns without variables only.
  bool match_plain(std::string_view subject) const;
  MatchResult match(std::string_view subject, const RequestContext& ctx) const;

 private:
  // A fixed-length run between two '*': literal bytes, '?' positions flagged in `wild`.
  struct Piece {
    std::string text;
    std::string wild;  // Empty, or text.size() flags: '\1' where text has a '?' wildcard.
  };

  // The pattern split at every '*'; a pattern without '*' is one piece matched exactly.
  struct Glob {
    std::vector<Piece> pieces;
    std::size_t min_length = 0;
    bool any = false;
    bool match(std::string_view subject, bool fold_case) const;
  };

  struct Token {
    enum class Kind : std::uint8_t { kText, kStar, kAnyChar, kVariable };
    Kind kind = Kind::kText;
    std::string text;           // kText: literal bytes; kVariable: the lower-case key.
    std::string default_value;  // kVariable with a default.
    bool has_default = false;
  };

  static std::vector<Token> tokenize(std::string_view text, PatternOptions options);
  static Glob build_glob(const std::vector<Token>& tokens, bool fold_case);

  std::string source_;
  PatternOptions options_;
  bool has_variables_ = false;
  bool has_star_ = false;
  Glob glob_;                  // Without variables.
  std::vector<Token> tokens_;  // With variables: resolved per request.
};

// An ARN pattern from a Resource element or an Arn* condition: the six colon-separated parts
// (arn:partition:service:region:account:resource) are matched separately, so a `*` in the region
// never swallows the account. The resource part keeps its own colons. "*" alone matches anything.
class ArnPattern {
 public:
  static constexpr std::size_t kSegments = 6;

  ArnPattern() = default;

  // variables_in_resource: ${...} allowed after the fifth colon (Resource element).
  // variables_everywhere: ${...} allowed in every part (Arn* condition values).
  static ArnPattern compile(std::string_view text,
                            bool variables_in_resource,
                            bool variables_everywhere);

  const std::string& text() const { return source_; }

  bool is_any() const { return any_; }

  MatchResult match(std::string_view arn, const RequestContext& ctx) const;

 private:
  std::string source_;
  bool any_ = false;
  bool never_ = false;  // Fewer than six parts and no trailing '*' to stand for the rest.
  std::array<Pattern, kSegments> segments_;
};

// Splits an ARN at its first five colons; false when it has fewer than five.
bool split_arn(std::string_view arn, std::array<std::string_view, ArnPattern::kSegments>& parts);

}  // namespace ibsim::mock_aws::policy

#include "mock_aws/policy/pattern.h"

#include <cstring>

#include "mock_aws/policy/request_context.h"
#include "mock_aws/policy/text.h"

namespace ibsim::mock_aws::policy {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && s.front() == ' ') {
    s.remove_prefix(1);
  }
  while (!s.empty() && s.back() == ' ') {
    s.remove_suffix(1);
  }
  return s;
}

}  // namespace

std::vector<Pattern::Token> Pattern::tokenize(std::string_view text, PatternOptions options) {
  std::vector<Token> tokens;
  auto append_text = [&](std::string_view literal) {
    if (literal.empty()) {
      return;
    }
    if (tokens.empty() || tokens.back().kind != Token::Kind::kText) {
      tokens.push_back(Token{Token::Kind::kText, {}, {}, false});
    }
    for (const char c : literal) {
      tokens.back().text.push_back(options.fold_case ? ascii_lower(c) : c);
    }
  };
  std::size_t i = 0;
  while (i < text.size()) {
    const char c = text[i];
    if (options.variables && c == '$' && i + 1 < text.size() && text[i + 1] == '{') {
      const std::size_t close = text.find('}', i + 2);
      if (close != std::string_view::npos) {
        const std::string_view inner = text.substr(i + 2, close - i - 2);
        if (inner == "*" || inner == "?" || inner == "$") {
          // ${*} ${?} ${$}: the character itself, never a wildcard.
          append_text(inner);
        } else {
          Token var{Token::Kind::kVariable, {}, {}, false};
          std::string_view name = inner;
          const std::size_t comma = inner.find(',');
          if (comma != std::string_view::npos) {
            name = inner.substr(0, comma);
            const std::string_view rest = trim(inner.substr(comma + 1));
            if (rest.size() >= 2 && rest.front() == '\'' && rest.back() == '\'') {
              var.default_value = std::string(rest.substr(1, rest.size() - 2));
              var.has_default = true;
            }
          }
          var.text = to_lower_ascii(trim(name));
          tokens.push_back(std::move(var));
        }
        i = close + 1;
        continue;
      }
    }
    if (options.wildcards && c == '*') {
      tokens.push_back(Token{Token::Kind::kStar, {}, {}, false});
    } else if (options.wildcards && c == '?') {
      tokens.push_back(Token{Token::Kind::kAnyChar, {}, {}, false});
    } else {
      append_text(std::string_view(&text[i], 1));
    }
    ++i;
  }
  return tokens;
}

Pattern::Glob Pattern::build_glob(const std::vector<Token>& tokens, bool fold_case) {
  Glob glob;
  glob.pieces.emplace_back();
  for (const Token& token : tokens) {
    Piece& piece = glob.pieces.back();
    switch (token.kind) {
      case Token::Kind::kStar:
        glob.pieces.emplace_back();
        break;
      case Token::Kind::kAnyChar:
        if (piece.wild.empty()) {
          piece.wild.assign(piece.text.size(), '\0');
        }
        piece.text.push_back('?');
        piece.wild.push_back('\1');
        break;
      case Token::Kind::kText:
      case Token::Kind::kVariable:  // Already substituted by the caller: literal text.
        for (const char c : token.text) {
          piece.text.push_back(fold_case ? ascii_lower(c) : c);
          if (!piece.wild.empty()) {
            piece.wild.push_back('\0');
          }
        }
        break;
    }
  }
  for (const Piece& piece : glob.pieces) {
    glob.min_length += piece.text.size();
  }
  glob.any = glob.pieces.size() == 2 && glob.min_length == 0;
  return glob;
}

namespace {

bool piece_equal(const std::string& text, const std::string& wild, const char* s, bool fold_case) {
  const std::size_t n = text.size();
  if (wild.empty() && !fold_case) {
    return n == 0 || std::memcmp(text.data(), s, n) == 0;
  }
  for (std::size_t k = 0; k < n; ++k) {
    if (!wild.empty() && wild[k] != '\0') {
      continue;
    }
    const char c = fold_case ? ascii_lower(s[k]) : s[k];
    if (c != text[k]) {
      return false;
    }
  }
  return true;
}

}  // namespace

bool Pattern::Glob::match(std::string_view subject, bool fold_case) const {
  if (any) {
    return true;
  }
  if (pieces.size() == 1) {
    const Piece& only = pieces.front();
    return subject.size() == only.text.size()
           && piece_equal(only.text, only.wild, subject.data(), fold_case);
  }
  if (subject.size() < min_length) {
    return false;
  }
  const Piece& first = pieces.front();
  const Piece& last = pieces.back();
  if (!piece_equal(first.text, first.wild, subject.data(), fold_case)) {
    return false;
  }
  const std::size_t end = subject.size() - last.text.size();
  if (!piece_equal(last.text, last.wild, subject.data() + end, fold_case)) {
    return false;
  }
  // Every piece has a fixed length, so taking each middle piece at its leftmost occurrence never
  // loses a match that a later occurrence would have found.
  std::size_t pos = first.text.size();
  for (std::size_t i = 1; i + 1 < pieces.size(); ++i) {
    const Piece& piece = pieces[i];
    bool found = false;
    for (std::size_t at = pos; at + piece.text.size() <= end; ++at) {
      if (piece_equal(piece.text, piece.wild, subject.data() + at, fold_case)) {
        pos = at + piece.text.size();
        found = true;
        break;
      }
    }
    if (!found) {
      return false;
    }
  }
  return true;
}

Pattern Pattern::compile(std::string_view text, PatternOptions options) {
  Pattern p;
  p.source_ = std::string(text);
  p.options_ = options;
  std::vector<Token> tokens = tokenize(text, options);
  for (const Token& token : tokens) {
    if (token.kind == Token::Kind::kVariable) {
      p.has_variables_ = true;
    } else if (token.kind == Token::Kind::kStar) {
      p.has_star_ = true;
    }
  }
  if (p.has_variables_) {
    p.tokens_ = std::move(tokens);
  } else {
    p.glob_ = build_glob(tokens, options.fold_case);
  }
  return p;
}

bool Pattern::match_plain(std::string_view subject) const {
  return glob_.match(subject, options_.fold_case);
}

MatchResult Pattern::match(std::string_view subject, const RequestContext& ctx) const {
  if (!has_variables_) {
    return glob_.match(subject, options_.fold_case) ? MatchResult::kMatch : MatchResult::kNoMatch;
  }
  // Substituted values are literal text: a '*' in a user name is not a wildcard.
  std::vector<Token> resolved;
  resolved.reserve(tokens_.size());
  for (const Token& token : tokens_) {
    if (token.kind != Token::Kind::kVariable) {
      resolved.push_back(token);
      continue;
    }
    const std::optional<std::string_view> value = ctx.variable_value(token.text);
    if (value.has_value()) {
      resolved.push_back(Token{Token::Kind::kText, std::string(*value), {}, false});
    } else if (token.has_default) {
      resolved.push_back(Token{Token::Kind::kText, token.default_value, {}, false});
    } else {
      return MatchResult::kUnresolved;
    }
  }
  const Glob glob = build_glob(resolved, options_.fold_case);
  return glob.match(subject, options_.fold_case) ? MatchResult::kMatch : MatchResult::kNoMatch;
}

bool split_arn(std::string_view arn, std::array<std::string_view, ArnPattern::kSegments>& parts) {
  std::string_view rest = arn;
  for (std::size_t i = 0; i + 1 < ArnPattern::kSegments; ++i) {
    const std::size_t colon = rest.find(':');
    if (colon == std::string_view::npos) {
      return false;
    }
    parts[i] = rest.substr(0, colon);
    rest.remove_prefix(colon + 1);
  }
  parts[ArnPattern::kSegments - 1] = rest;
  return true;
}

ArnPattern ArnPattern::compile(std::string_view text,
                               bool variables_in_resource,
                               bool variables_everywhere) {
  ArnPattern p;
  p.source_ = std::string(text);
  if (text == "*") {
    p.any_ = true;
    return p;
  }
  // Split at the first five colons outside ${...}: variable names have colons of their own.
  const bool skip_variables = variables_in_resource || variables_everywhere;
  std::array<std::string_view, kSegments> parts{};
  std::size_t count = 0;
  std::size_t start = 0;
  for (std::size_t i = 0; i < text.size() && count + 1 < kSegments; ++i) {
    if (skip_variables && text[i] == '$' && i + 1 < text.size() && text[i + 1] == '{') {
      const std::size_t close = text.find('}', i + 2);
      if (close != std::string_view::npos) {
        i = close;
        continue;
      }
    }
    if (text[i] == ':') {
      parts[count++] = text.substr(start, i - start);
      start = i + 1;
    }
  }
  parts[count++] = text.substr(start);
  for (std::size_t i = 0; i < count; ++i) {
    const bool variables = variables_everywhere || (variables_in_resource && i + 1 == kSegments);
    p.segments_[i] = Pattern::compile(parts[i], {.wildcards = true, .variables = variables});
  }
  if (count < kSegments) {
    // Unconfirmed: a short ARN such as "arn:aws:ec2:*" is read as if its missing parts were "*"
    // when its last part has a '*'; without one it matches nothing.
    if (!p.segments_[count - 1].has_star()) {
      p.never_ = true;
    }
    for (std::size_t i = count; i < kSegments; ++i) {
      p.segments_[i] = Pattern::compile("*", {.wildcards = true});
    }
  }
  return p;
}

MatchResult ArnPattern::match(std::string_view arn, const RequestContext& ctx) const {
  if (any_) {
    return MatchResult::kMatch;
  }
  if (never_) {
    return MatchResult::kNoMatch;
  }
  std::array<std::string_view, kSegments> parts{};
  if (!split_arn(arn, parts)) {
    return MatchResult::kNoMatch;
  }
  MatchResult result = MatchResult::kMatch;
  for (std::size_t i = 0; i < kSegments; ++i) {
    const Pattern& segment = segments_[i];
    if (!segment.has_variables()) {
      if (!segment.match_plain(parts[i])) {
        return MatchResult::kNoMatch;
      }
      continue;
    }
    const MatchResult r = segment.match(parts[i], ctx);
    if (r == MatchResult::kNoMatch) {
      return r;
    }
    if (r == MatchResult::kUnresolved) {
      result = r;
    }
  }
  return result;
}

}  // namespace ibsim::mock_aws::policy

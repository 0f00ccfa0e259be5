#include "mock_aws/protocol/shape_model.h"

#include <algorithm>
#include <memory>
#include <regex>
#include <vector>

#include "mock_aws/protocol/generated/service_models.h"

namespace ibsim::mock_aws::protocol {
namespace {

using CompiledPatterns = std::vector<std::unique_ptr<const std::regex>>;

CompiledPatterns compile_patterns(const ServiceModel& service) {
  CompiledPatterns out(service.patterns.size());
  for (std::size_t i = 0; i < service.patterns.size(); ++i) {
    const PatternModel& p = service.patterns[i];
    if (p.kind != PatternKind::kRegex) {
      continue;
    }
    const std::string source(service.str(p.regex));
    try {
      out[i] = std::make_unique<const std::regex>(source, std::regex::ECMAScript);
    } catch (const std::regex_error&) {
      // std::regex rejects some Java syntax the generator let through: the pattern stays
      // unchecked (mock_aws/protocol/README.md lists them).
      out[i] = nullptr;
    }
  }
  return out;
}

// Compiled once per process and never changed afterwards: constant data derived from the
// constexpr tables, not state (C++ guarantees thread-safe initialisation of these statics).
const CompiledPatterns& compiled_patterns(const ServiceModel& service) {
  switch (service.id) {
    case ServiceId::kImageBuilder: {
      static const CompiledPatterns c = compile_patterns(service);
      return c;
    }
    case ServiceId::kEc2: {
      static const CompiledPatterns c = compile_patterns(service);
      return c;
    }
    case ServiceId::kKms: {
      static const CompiledPatterns c = compile_patterns(service);
      return c;
    }
    case ServiceId::kIam: {
      static const CompiledPatterns c = compile_patterns(service);
      return c;
    }
    case ServiceId::kSts: {
      static const CompiledPatterns c = compile_patterns(service);
      return c;
    }
    case ServiceId::kSsm: {
      static const CompiledPatterns c = compile_patterns(service);
      return c;
    }
  }
  static const CompiledPatterns empty;
  return empty;
}

bool in_ranges(std::span<const CharRange> ranges, uint32_t cp) {
  for (const CharRange& r : ranges) {
    if (cp >= r.first && cp <= r.last) {
      return true;
    }
  }
  return false;
}

}  // namespace

const ServiceModel& service_model(ServiceId id) {
  switch (id) {
    case ServiceId::kImageBuilder:
      return generated::imagebuilder_model();
    case ServiceId::kEc2:
      return generated::ec2_model();
    case ServiceId::kKms:
      return generated::kms_model();
    case ServiceId::kIam:
      return generated::iam_model();
    case ServiceId::kSts:
      return generated::sts_model();
    case ServiceId::kSsm:
      return generated::ssm_model();
  }
  return generated::kms_model();
}

std::optional<ServiceId> find_service(std::string_view name) {
  for (ServiceId id : kAllServices) {
    const ServiceModel& s = service_model(id);
    if (s.name == name || s.signing_name == name) {
      return id;
    }
  }
  return std::nullopt;
}

const ShapeModel* OperationRef::input() const {
  const uint16_t i = model().input;
  return i == kNoIndex ? nullptr : &service_->shapes[i];
}

const ShapeModel* OperationRef::output() const {
  const uint16_t i = model().output;
  return i == kNoIndex ? nullptr : &service_->shapes[i];
}

std::optional<OperationRef> find_operation(ServiceId service, std::string_view name) {
  const ServiceModel& s = service_model(service);
  const auto it = std::lower_bound(
      s.operations.begin(), s.operations.end(), name, [&](const OperationModel& op, auto n) {
        return s.str(op.name) < n;
      });
  if (it == s.operations.end() || s.str(it->name) != name) {
    return std::nullopt;
  }
  return OperationRef(s, static_cast<uint16_t>(it - s.operations.begin()));
}

const MemberModel* find_member(const ServiceModel& service,
                               const ShapeModel& structure,
                               std::string_view name) {
  for (const MemberModel& m : service.members_of(structure)) {
    if (service.str(m.name) == name) {
      return &m;
    }
  }
  return nullptr;
}

std::optional<int> modelled_error_status(ServiceId service, std::string_view code) {
  const ServiceModel& s = service_model(service);
  for (const ShapeModel& shape : s.shapes) {
    if ((shape.flags & kShapeException) != 0 && s.str(shape.error_code) == code) {
      return shape.http_status != 0 ? shape.http_status : 400;
    }
  }
  return std::nullopt;
}

std::optional<uint32_t> next_code_point(std::string_view text, std::size_t& pos) {
  const auto byte = [&](std::size_t i) {
    return static_cast<uint8_t>(text[i]);
  };
  const uint8_t b0 = byte(pos);
  if (b0 < 0x80) {
    ++pos;
    return b0;
  }
  std::size_t extra = 0;
  uint32_t cp = 0;
  uint32_t min = 0;
  if ((b0 & 0xE0) == 0xC0) {
    extra = 1;
    cp = b0 & 0x1Fu;
    min = 0x80;
  } else if ((b0 & 0xF0) == 0xE0) {
    extra = 2;
    cp = b0 & 0x0Fu;
    min = 0x800;
  } else if ((b0 & 0xF8) == 0xF0) {
    extra = 3;
    cp = b0 & 0x07u;
    min = 0x10000;
  } else {
    return std::nullopt;
  }
  if (pos + extra >= text.size()) {
    return std::nullopt;
  }
  for (std::size_t i = 1; i <= extra; ++i) {
    const uint8_t b = byte(pos + i);
    if ((b & 0xC0) != 0x80) {
      return std::nullopt;
    }
    cp = (cp << 6) | (b & 0x3Fu);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
    return std::nullopt;
  }
  pos += extra + 1;
  return cp;
}

bool is_valid_utf8(std::string_view text) {
  std::size_t pos = 0;
  while (pos < text.size()) {
    if (static_cast<uint8_t>(text[pos]) < 0x80) {
      ++pos;
      continue;
    }
    if (!next_code_point(text, pos)) {
      return false;
    }
  }
  return true;
}

std::size_t utf16_length(std::string_view text) {
  std::size_t pos = 0;
  std::size_t n = 0;
  while (pos < text.size()) {
    const auto cp = next_code_point(text, pos);
    if (!cp) {
      ++pos;
      ++n;
      continue;
    }
    n += *cp > 0xFFFF ? 2u : 1u;
  }
  return n;
}

std::optional<bool> matches_pattern(const ServiceModel& service,
                                    uint16_t pattern,
                                    std::string_view value) {
  const PatternModel& p = service.patterns[pattern];
  switch (p.kind) {
    case PatternKind::kUnsupported:
      return std::nullopt;
    case PatternKind::kCharClass: {
      const auto ranges = service.char_ranges.subspan(p.first_range, p.range_count);
      std::size_t pos = 0;
      std::size_t count = 0;
      while (pos < value.size()) {
        const auto cp = next_code_point(value, pos);
        if (!cp) {
          return false;
        }
        const bool in_class = in_ranges(ranges, *cp) || (p.any_non_ascii && *cp >= 0x80);
        if (in_class == p.negated) {
          return false;
        }
        ++count;
      }
      return count >= p.min_count;
    }
    case PatternKind::kRegex: {
      const auto& compiled = compiled_patterns(service)[pattern];
      if (compiled == nullptr || value.size() > kMaxRegexInputBytes) {
        return std::nullopt;
      }
      return std::regex_match(value.begin(), value.end(), *compiled);
    }
  }
  return std::nullopt;
}

}  // namespace ibsim::mock_aws::protocol

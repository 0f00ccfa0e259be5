#pragma once
// Catch2 printers for kernel types, so a failed CHECK shows "2.500s" instead of "{?}".

#include <string>

#include <catch2/catch.hpp>

#include "sim/time.h"

namespace Catch {

template <>
struct StringMaker<ibsim::sim::Duration> {
  static std::string convert(const ibsim::sim::Duration& d) {
    return ibsim::sim::format_duration(d);
  }
};

template <>
struct StringMaker<ibsim::sim::Instant> {
  static std::string convert(const ibsim::sim::Instant& i) {
    return "t+" + ibsim::sim::format_duration(i.since_start());
  }
};

}  // namespace Catch

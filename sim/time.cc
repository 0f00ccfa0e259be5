#include "sim/time.h"

#include <cstdio>

namespace ibsim::sim {
namespace {

// Howard Hinnant's civil-from-days and days-from-civil algorithms (public domain).
struct Civil {
  int64_t year;
  int64_t month;
  int64_t day;
};

Civil civil_from_days(int64_t z) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t y = yoe + era * 400;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  const int64_t d = doy - (153 * mp + 2) / 5 + 1;
  const int64_t m = mp < 10 ? mp + 3 : mp - 9;
  return Civil{m <= 2 ? y + 1 : y, m, d};
}

int64_t days_from_civil(int64_t y, int64_t m, int64_t d) {
  y -= m <= 2 ? 1 : 0;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

int64_t floor_div(int64_t a, int64_t b) {
  return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}

struct Split {
  Civil date;
  int64_t hour, minute, second, milli;
};

Split split(int64_t unix_ms) {
  const int64_t days = floor_div(unix_ms, 86'400'000);
  int64_t rest = unix_ms - days * 86'400'000;
  Split s{civil_from_days(days), 0, 0, 0, 0};
  s.hour = rest / 3'600'000;
  rest %= 3'600'000;
  s.minute = rest / 60'000;
  rest %= 60'000;
  s.second = rest / 1'000;
  s.milli = rest % 1'000;
  return s;
}

}  // namespace

std::string format_duration(Duration d) {
  std::string sign;
  int64_t ns = d.ns();
  if (ns < 0) {
    sign = "-";
    ns = -ns;
  }
  const int64_t hours = ns / 3'600'000'000'000;
  const int64_t minutes = (ns / 60'000'000'000) % 60;
  const int64_t seconds = (ns / 1'000'000'000) % 60;
  const int64_t micros = (ns / 1'000) % 1'000'000;
  char buf[64];
  if (hours > 0) {
    std::snprintf(buf,
                  sizeof buf,
                  "%lldh%02lldm%02lld.%03llds",
                  static_cast<long long>(hours),
                  static_cast<long long>(minutes),
                  static_cast<long long>(seconds),
                  static_cast<long long>(micros / 1000));
  } else if (minutes > 0) {
    std::snprintf(buf,
                  sizeof buf,
                  "%lldm%02lld.%03llds",
                  static_cast<long long>(minutes),
                  static_cast<long long>(seconds),
                  static_cast<long long>(micros / 1000));
  } else if (micros % 1000 != 0) {
    std::snprintf(buf,
                  sizeof buf,
                  "%lld.%06llds",
                  static_cast<long long>(seconds),
                  static_cast<long long>(micros));
  } else {
    std::snprintf(buf,
                  sizeof buf,
                  "%lld.%03llds",
                  static_cast<long long>(seconds),
                  static_cast<long long>(micros / 1000));
  }
  return sign + buf;
}

std::string format_iso8601_ms(int64_t unix_ms) {
  const Split s = split(unix_ms);
  char buf[40];
  std::snprintf(buf,
                sizeof buf,
                "%04lld-%02lld-%02lldT%02lld:%02lld:%02lld.%03lldZ",
                static_cast<long long>(s.date.year),
                static_cast<long long>(s.date.month),
                static_cast<long long>(s.date.day),
                static_cast<long long>(s.hour),
                static_cast<long long>(s.minute),
                static_cast<long long>(s.second),
                static_cast<long long>(s.milli));
  return buf;
}

std::string format_amz_date(int64_t unix_ms) {
  const Split s = split(unix_ms);
  char buf[32];
  std::snprintf(buf,
                sizeof buf,
                "%04lld%02lld%02lldT%02lld%02lld%02lldZ",
                static_cast<long long>(s.date.year),
                static_cast<long long>(s.date.month),
                static_cast<long long>(s.date.day),
                static_cast<long long>(s.hour),
                static_cast<long long>(s.minute),
                static_cast<long long>(s.second));
  return buf;
}

bool parse_iso8601(const std::string& text, int64_t* unix_ms) {
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0, consumed = 0;
  if (std::sscanf(text.c_str(),
                  "%4d-%2d-%2dT%2d:%2d:%2d%n",
                  &year,
                  &month,
                  &day,
                  &hour,
                  &minute,
                  &second,
                  &consumed)
          != 6
      || consumed != 19) {
    return false;
  }
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) {
    return false;
  }
  int64_t millis = 0;
  std::size_t pos = 19;
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    int digits = 0;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
      if (digits < 3) {
        millis = millis * 10 + (text[pos] - '0');
      }
      ++digits;
      ++pos;
    }
    if (digits == 0) {
      return false;
    }
    for (int i = digits; i < 3; ++i) {
      millis *= 10;
    }
  }
  if (pos + 1 != text.size() || text[pos] != 'Z') {
    return false;
  }
  const int64_t days = days_from_civil(year, month, day);
  *unix_ms = ((days * 24 + hour) * 60 + minute) * 60'000 + second * 1'000 + millis;
  return true;
}

std::optional<Duration> parse_duration(std::string_view text, Duration max) {
  if (text.empty()) {
    return std::nullopt;
  }
  const int64_t ns_max = max.ns();
  int64_t total = 0;
  std::size_t i = 0;
  while (i < text.size()) {
    int64_t value = 0;
    const std::size_t start = i;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
      value = value * 10 + (text[i] - '0');
      if (value > ns_max) {
        return std::nullopt;
      }
      ++i;
    }
    if (i == start) {
      return std::nullopt;
    }
    int64_t unit = 0;
    if (text.substr(i).starts_with("ms")) {
      unit = Duration::milliseconds(1).ns();
      i += 2;
    } else if (i < text.size()) {
      switch (text[i]) {
        case 'd':
          unit = Duration::days(1).ns();
          break;
        case 'h':
          unit = Duration::hours(1).ns();
          break;
        case 'm':
          unit = Duration::minutes(1).ns();
          break;
        case 's':
          unit = Duration::seconds(1).ns();
          break;
        default:
          return std::nullopt;
      }
      ++i;
    } else {
      return std::nullopt;  // A number without a unit.
    }
    if (value > ns_max / unit) {
      return std::nullopt;
    }
    total += value * unit;
    if (total > ns_max) {
      return std::nullopt;
    }
  }
  return Duration::nanoseconds(total);
}

}  // namespace ibsim::sim

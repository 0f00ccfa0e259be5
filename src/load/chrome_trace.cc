#include "src/load/chrome_trace.h"

#include <cstdio>

namespace ibsim::load {

ChromeTraceWriter::ChromeTraceWriter(const std::string& path, Options options) : options_(options) {
  out_.open(path, std::ios::binary | std::ios::trunc);
  ok_ = out_.is_open();
  if (ok_) {
    out_ << "{\"displayTimeUnit\": \"ms\", \"traceEvents\": [\n";
  }
}

ChromeTraceWriter::~ChromeTraceWriter() {
  close();
}

bool ChromeTraceWriter::close() {
  if (!ok_ || closed_) {
    return ok_ && !out_.fail();
  }
  closed_ = true;
  out_ << "\n]}\n";
  out_.flush();
  ok_ = !out_.fail();
  out_.close();
  return ok_;
}

bool ChromeTraceWriter::begin_event() {
  if (!ok_ || closed_) {
    return false;
  }
  if (written_ >= options_.events_max) {
    truncated_ = true;
    return false;
  }
  if (written_ > 0) {
    out_ << ",\n";
  }
  ++written_;
  return true;
}

void ChromeTraceWriter::write_string(std::string_view s) {
  out_ << '"';
  for (const char c : s) {
    switch (c) {
      case '"':
        out_ << "\\\"";
        break;
      case '\\':
        out_ << "\\\\";
        break;
      case '\n':
        out_ << "\\n";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(c));
          out_ << buf;
        } else {
          out_ << c;
        }
    }
  }
  out_ << '"';
}

void ChromeTraceWriter::write_time(int64_t ns) {
  // Microseconds with three decimals: exact for nanosecond times.
  char buf[32];
  const long long us = static_cast<long long>(ns / 1000);
  const long long frac = static_cast<long long>(ns % 1000);
  if (frac == 0) {
    std::snprintf(buf, sizeof buf, "%lld", us);
  } else {
    std::snprintf(buf, sizeof buf, "%lld.%03lld", us, frac < 0 ? -frac : frac);
  }
  out_ << buf;
}

void ChromeTraceWriter::write_args(std::initializer_list<sim::TraceArg> args) {
  out_ << ", \"args\": {";
  bool first = true;
  for (const sim::TraceArg& a : args) {
    if (!first) {
      out_ << ", ";
    }
    first = false;
    write_string(a.key);
    out_ << ": ";
    if (a.value.is_int()) {
      out_ << a.value.as_int();
    } else {
      write_string(a.value.as_text());
    }
  }
  out_ << "}";
}

void ChromeTraceWriter::process_name(uint64_t pid, std::string_view name) {
  if (!begin_event()) {
    return;
  }
  out_ << "{\"ph\": \"M\", \"name\": \"process_name\", \"pid\": " << pid
       << ", \"tid\": 0, \"args\": {\"name\": ";
  write_string(name);
  out_ << "}}";
}

void ChromeTraceWriter::thread_name(uint64_t pid, uint64_t tid, std::string_view name) {
  if (!begin_event()) {
    return;
  }
  out_ << "{\"ph\": \"M\", \"name\": \"thread_name\", \"pid\": " << pid << ", \"tid\": " << tid
       << ", \"args\": {\"name\": ";
  write_string(name);
  out_ << "}}";
}

void ChromeTraceWriter::complete(uint64_t pid,
                                 uint64_t tid,
                                 std::string_view name,
                                 std::string_view category,
                                 sim::Instant start,
                                 sim::Duration duration,
                                 std::initializer_list<sim::TraceArg> args) {
  if (!begin_event()) {
    return;
  }
  out_ << "{\"ph\": \"X\", \"pid\": " << pid << ", \"tid\": " << tid << ", \"name\": ";
  write_string(name);
  out_ << ", \"cat\": ";
  write_string(category);
  out_ << ", \"ts\": ";
  write_time(start.ns());
  out_ << ", \"dur\": ";
  write_time(duration.ns());
  if (args.size() > 0) {
    write_args(args);
  }
  out_ << "}";
}

void ChromeTraceWriter::instant(uint64_t pid,
                                uint64_t tid,
                                std::string_view name,
                                std::string_view category,
                                sim::Instant at,
                                std::initializer_list<sim::TraceArg> args) {
  if (!begin_event()) {
    return;
  }
  out_ << "{\"ph\": \"i\", \"s\": \"t\", \"pid\": " << pid << ", \"tid\": " << tid
       << ", \"name\": ";
  write_string(name);
  out_ << ", \"cat\": ";
  write_string(category);
  out_ << ", \"ts\": ";
  write_time(at.ns());
  if (args.size() > 0) {
    write_args(args);
  }
  out_ << "}";
}

void ChromeTraceWriter::counter(
    uint64_t pid, std::string_view name, sim::Instant at, std::string_view series, int64_t value) {
  if (!begin_event()) {
    return;
  }
  out_ << "{\"ph\": \"C\", \"pid\": " << pid << ", \"tid\": 0, \"name\": ";
  write_string(name);
  out_ << ", \"ts\": ";
  write_time(at.ns());
  out_ << ", \"args\": {";
  write_string(series);
  out_ << ": " << value << "}}";
}

}  // namespace ibsim::load

#pragma once
// ChromeTraceWriter: streams Chrome trace-event JSON (the format chrome://tracing and Perfetto
// open) to a file while a run goes, so a million-copy run never holds its trace in memory. Tracks
// are (pid, tid) pairs named once; spans are complete events ("X"), marks are instants ("i"),
// series are counters ("C"). Times are virtual nanoseconds, written as microseconds with three
// decimals. Bounded: past events_max the writer drops events and says so (truncated()).
// ibsim run's --trace writes the same format from recorded events (src/scenario); a load run
// needs this streaming form.
//
//   ChromeTraceWriter w(path, {.events_max = 2'000'000});
//   w.process_name(1, "us-east-1");  w.thread_name(1, 7, "200000000007");
//   w.complete(1, 7, "copy", "copy", start, duration, {{"image", "ami-..."}});
//   w.close();

#include <cstdint>
#include <fstream>
#include <initializer_list>
#include <string>
#include <string_view>

#include "sim/time.h"
#include "sim/trace.h"

namespace ibsim::load {

class ChromeTraceWriter {
 public:
  struct Options {
    uint64_t events_max = 2'000'000;
  };

  // Opens (truncates) `path`; ok() is false when it cannot be opened.
  ChromeTraceWriter(const std::string& path, Options options);
  ~ChromeTraceWriter();

  ChromeTraceWriter(const ChromeTraceWriter&) = delete;
  ChromeTraceWriter& operator=(const ChromeTraceWriter&) = delete;

  bool ok() const { return ok_; }

  bool truncated() const { return truncated_; }

  uint64_t events_written() const { return written_; }

  void process_name(uint64_t pid, std::string_view name);
  void thread_name(uint64_t pid, uint64_t tid, std::string_view name);
  void complete(uint64_t pid,
                uint64_t tid,
                std::string_view name,
                std::string_view category,
                sim::Instant start,
                sim::Duration duration,
                std::initializer_list<sim::TraceArg> args = {});
  void instant(uint64_t pid,
               uint64_t tid,
               std::string_view name,
               std::string_view category,
               sim::Instant at,
               std::initializer_list<sim::TraceArg> args = {});
  void counter(
      uint64_t pid, std::string_view name, sim::Instant at, std::string_view series, int64_t value);

  // Writes the closing bracket and flushes; false on an I/O error. Called by the destructor too.
  bool close();

 private:
  bool begin_event();
  void write_string(std::string_view s);
  void write_time(int64_t ns);
  void write_args(std::initializer_list<sim::TraceArg> args);

  std::ofstream out_;
  Options options_;
  bool ok_ = false;
  bool closed_ = false;
  bool truncated_ = false;
  uint64_t written_ = 0;
};

}  // namespace ibsim::load

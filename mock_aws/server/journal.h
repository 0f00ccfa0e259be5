#pragma once
// The state directory of `ibsim serve --state-dir DIR`: command sourcing. The server is
// deterministic given the ordered (virtual time, wall-clock ms, raw HTTP request) triples it
// handled, so DIR holds the seed, auth mode, civil epoch and a copy of the world file
// (meta.json, world.json) plus an append-only journal of every request the router handled, each a
// length + CRC32C framed record. A restart loads the world and replays the journal through the
// same Router::handle. This file owns the format and the files; src/cli/serve_command.cc wires it.
//
//   StateDir dir = std::move(StateDir::open("state")).value();
//   dir.initialize(meta, world_text);            // or dir.replay_journal(on_record)
//   dir.append(record, /*sync=*/true);            // before the answer leaves

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "mock_aws/protocol/http_message.h"
#include "sim/base/result.h"

namespace ibsim::mock_aws::server {

inline constexpr int kStateFormatVersion = 1;
// Larger than any request the HTTP front accepts (8 MiB body, 64 KiB headers).
inline constexpr std::size_t kJournalRecordBytesMax = 16 * 1024 * 1024;
// The frame header: payload length and CRC32C of the payload, both little-endian u32.
inline constexpr std::size_t kJournalFrameHeaderBytes = 8;

inline constexpr std::string_view kMetaFileName = "meta.json";
inline constexpr std::string_view kWorldFileName = "world.json";
inline constexpr std::string_view kJournalFileName = "journal";
inline constexpr std::string_view kLockFileName = "lock";

// CRC32C (Castagnoli), the checksum of each record's payload.
uint32_t crc32c(std::string_view bytes, uint32_t crc = 0);

// One handled request. The answer's status and body checksum are kept so that replay can prove
// it reproduced the same answers (a determinism check, not needed to restore state).
struct JournalRecord {
  int64_t virtual_ns = 0;    // The scheduler's now() when the router handled the request.
  int64_t wall_unix_ms = 0;  // The wall clock SigV4's skew window was checked against.
  protocol::HttpRequest request;
  int32_t response_status = 0;
  uint32_t response_body_crc = 0;
};

// The framed bytes of one record (header + payload).
std::string encode_journal_frame(int64_t virtual_ns,
                                 int64_t wall_unix_ms,
                                 const protocol::HttpRequest& request,
                                 int32_t response_status,
                                 uint32_t response_body_crc);

struct JournalScan {
  uint64_t records = 0;
  uint64_t valid_bytes = 0;  // The intact prefix; anything after it is a torn tail.
  uint64_t file_bytes = 0;
};

// Reads every complete record of `bytes` in order, calling on_record (which may stop the scan
// with an error). A damaged record with nothing valid after it is a torn tail: the scan ends
// there (valid_bytes < file_bytes). A damaged record followed by a valid one is an error naming
// its offset: that is corruption, not an interrupted append.
sim::Result<JournalScan> scan_journal(
    std::string_view bytes, const std::function<sim::Status(const JournalRecord&)>& on_record);

// meta.json: what must not change across restarts.
struct StateMeta {
  int version = kStateFormatVersion;
  uint64_t seed = 1;
  std::string auth = "strict";
  int64_t epoch_unix_ms = 0;  // Civil time at virtual start (sim::Context::set_epoch_unix_ms).
  bool has_world = false;     // world.json holds the world file's bytes.
  std::string world_source;   // The --world path of the first start (load_world_text's source).
};

std::string encode_meta(const StateMeta& meta);
sim::Result<StateMeta> decode_meta(std::string_view text);

// What a restart asks for; unset flags take the directory's values.
struct StateFlags {
  std::optional<uint64_t> seed;
  std::optional<std::string> auth;
  std::optional<std::string> world_text;  // The bytes of --world, when given.
  std::string world_path;                 // For messages.
};

// An error (code "StateDirMismatch") saying which flag differs from the directory, and how.
sim::Status check_flags_match(const StateMeta& meta,
                              std::string_view stored_world_text,
                              const StateFlags& flags,
                              std::string_view dir);

// A state directory, locked (flock) against a second server while this object lives.
class StateDir {
 public:
  // Creates DIR when absent (its parent must exist), locks it, reads meta.json and world.json.
  static sim::Result<StateDir> open(const std::string& dir);

  StateDir(StateDir&& other) noexcept;
  StateDir& operator=(StateDir&&) = delete;
  StateDir(const StateDir&) = delete;
  StateDir& operator=(const StateDir&) = delete;
  ~StateDir();

  // Whether meta.json exists: false for a new directory (or one whose first start was killed
  // before it was written; initialization starts over then).
  bool initialized() const { return meta_.has_value(); }

  const StateMeta& meta() const;

  const std::string& world_text() const { return world_text_; }

  const std::string& path() const { return dir_; }

  // New directory: writes world.json, an empty journal, then meta.json (each atomically, so a
  // crash leaves either no meta.json or a complete directory) and opens the journal.
  sim::Status initialize(const StateMeta& meta, std::string_view world_text);

  // Existing directory: scans the journal (scan_journal), truncates a torn tail (reported in
  // `torn_tail_report`, empty when there was none) and opens the journal for appending.
  sim::Result<JournalScan> replay_journal(
      const std::function<sim::Status(const JournalRecord&)>& on_record,
      std::string* torn_tail_report);

  // Appends one framed record; with `sync`, fdatasync()s before returning, which makes this and
  // every earlier record durable. After any failure the journal is failed for good: later
  // appends fail too, so nothing is acknowledged on top of a record that may be lost.
  sim::Status append(std::string_view frame, bool sync);

  bool failed() const { return failed_; }

  uint64_t journal_bytes() const { return journal_bytes_; }

 private:
  StateDir(std::string dir, int lock_fd);

  std::string file(std::string_view name) const;
  sim::Status open_journal_for_append();

  std::string dir_;
  int lock_fd_ = -1;
  int journal_fd_ = -1;
  std::optional<StateMeta> meta_;
  std::string world_text_;
  uint64_t journal_bytes_ = 0;
  bool failed_ = false;
};

// Writes DIR/NAME atomically: a temporary file, fsync, rename over NAME, fsync of DIR.
sim::Status write_file_atomically(const std::string& dir,
                                  std::string_view name,
                                  std::string_view bytes);

// The whole file, or nullopt when it does not exist.
sim::Result<std::optional<std::string>> read_whole_file(const std::string& path);

}  // namespace ibsim::mock_aws::server

#include "mock_aws/server/journal.h"

#include <array>
#include <cerrno>
#include <cstring>
#include <utility>

#include <fcntl.h>
#include <nlohmann/json.hpp>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

namespace ibsim::mock_aws::server {
namespace {

constexpr uint8_t kRecordKindRequest = 1;
// kind, virtual ns, wall ms, status, body crc, method, target, header count, body.
constexpr std::size_t kPayloadBytesMin = 1 + 8 + 8 + 4 + 4 + 4 + 4 + 4 + 4;
constexpr std::string_view kMetaFormat = "ibsim-serve-state";

constexpr std::array<uint32_t, 256> make_crc32c_table() {
  std::array<uint32_t, 256> table{};
  for (uint32_t i = 0; i < 256; ++i) {
    uint32_t c = i;
    for (int k = 0; k < 8; ++k) {
      c = (c & 1U) != 0 ? 0x82F63B78U ^ (c >> 1) : c >> 1;
    }
    table[i] = c;
  }
  return table;
}

constexpr std::array<uint32_t, 256> kCrc32cTable = make_crc32c_table();

sim::AwsError state_error(std::string message) {
  return sim::aws_error("StateDirError", std::move(message), 500);
}

sim::AwsError errno_error(std::string_view what, const std::string& path) {
  return state_error(std::string(what) + " " + path + ": " + std::strerror(errno));
}

void put_u32(std::string& out, uint32_t v) {
  for (int i = 0; i < 4; ++i) {
    out.push_back(static_cast<char>((v >> (8 * i)) & 0xffU));
  }
}

void put_u64(std::string& out, uint64_t v) {
  for (int i = 0; i < 8; ++i) {
    out.push_back(static_cast<char>((v >> (8 * i)) & 0xffU));
  }
}

void put_string(std::string& out, std::string_view s) {
  put_u32(out, static_cast<uint32_t>(s.size()));
  out.append(s);
}

uint32_t get_u32_at(std::string_view bytes, std::size_t at) {
  uint32_t v = 0;
  for (std::size_t i = 0; i < 4; ++i) {
    v |= static_cast<uint32_t>(static_cast<uint8_t>(bytes[at + i])) << (8 * i);
  }
  return v;
}

// Sequential reader over a payload; any overrun makes ok() false.
class Reader {
 public:
  explicit Reader(std::string_view bytes) : bytes_(bytes) {}

  bool ok() const { return ok_; }

  bool at_end() const { return pos_ == bytes_.size(); }

  uint8_t u8() {
    if (!need(1)) {
      return 0;
    }
    return static_cast<uint8_t>(bytes_[pos_++]);
  }

  uint32_t u32() {
    if (!need(4)) {
      return 0;
    }
    const uint32_t v = get_u32_at(bytes_, pos_);
    pos_ += 4;
    return v;
  }

  uint64_t u64() {
    if (!need(8)) {
      return 0;
    }
    uint64_t v = 0;
    for (std::size_t i = 0; i < 8; ++i) {
      v |= static_cast<uint64_t>(static_cast<uint8_t>(bytes_[pos_ + i])) << (8 * i);
    }
    pos_ += 8;
    return v;
  }

  std::string string() {
    const uint32_t size = u32();
    if (!need(size)) {
      return {};
    }
    std::string s(bytes_.substr(pos_, size));
    pos_ += size;
    return s;
  }

 private:
  bool need(std::size_t n) {
    if (!ok_ || bytes_.size() - pos_ < n) {
      ok_ = false;
      return false;
    }
    return true;
  }

  std::string_view bytes_;
  std::size_t pos_ = 0;
  bool ok_ = true;
};

std::optional<JournalRecord> decode_payload(std::string_view payload) {
  Reader r(payload);
  if (r.u8() != kRecordKindRequest) {
    return std::nullopt;
  }
  JournalRecord record;
  record.virtual_ns = static_cast<int64_t>(r.u64());
  record.wall_unix_ms = static_cast<int64_t>(r.u64());
  record.response_status = static_cast<int32_t>(r.u32());
  record.response_body_crc = r.u32();
  record.request.method = r.string();
  record.request.target = r.string();
  const uint32_t headers = r.u32();
  for (uint32_t i = 0; i < headers && r.ok(); ++i) {
    std::string name = r.string();
    std::string value = r.string();
    record.request.headers.add(std::move(name), std::move(value));
  }
  record.request.body = r.string();
  if (!r.ok() || !r.at_end()) {
    return std::nullopt;
  }
  return record;
}

// The record whose frame starts at `offset`, and where the next frame starts; nullopt when the
// frame is incomplete, its length implausible, its checksum wrong or its payload malformed.
std::optional<std::pair<JournalRecord, std::size_t>> frame_at(std::string_view bytes,
                                                              std::size_t offset) {
  if (bytes.size() - offset < kJournalFrameHeaderBytes) {
    return std::nullopt;
  }
  const uint32_t size = get_u32_at(bytes, offset);
  if (size < kPayloadBytesMin || size > kJournalRecordBytesMax
      || bytes.size() - offset - kJournalFrameHeaderBytes < size) {
    return std::nullopt;
  }
  const std::string_view payload = bytes.substr(offset + kJournalFrameHeaderBytes, size);
  if (crc32c(payload) != get_u32_at(bytes, offset + 4)) {
    return std::nullopt;
  }
  std::optional<JournalRecord> record = decode_payload(payload);
  if (!record) {
    return std::nullopt;
  }
  return std::make_pair(std::move(*record), offset + kJournalFrameHeaderBytes + size);
}

// Whether any intact frame starts after `offset` (a byte-wise search: the damaged frame's own
// length field cannot be trusted to find the next boundary).
std::optional<std::size_t> next_intact_frame(std::string_view bytes, std::size_t offset) {
  for (std::size_t at = offset + 1;
       at + kJournalFrameHeaderBytes + kPayloadBytesMin <= bytes.size();
       ++at) {
    if (frame_at(bytes, at)) {
      return at;
    }
  }
  return std::nullopt;
}

class UniqueFd {
 public:
  explicit UniqueFd(int fd) : fd_(fd) {}

  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;

  ~UniqueFd() {
    if (fd_ >= 0) {
      ::close(fd_);
    }
  }

  int get() const { return fd_; }

  int release() { return std::exchange(fd_, -1); }

 private:
  int fd_;
};

sim::Status write_all(int fd, std::string_view bytes, const std::string& path) {
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0) {
      if (errno == EINTR) {
        continue;
      }
      return errno_error("cannot write", path);
    }
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return sim::ok_status();
}

sim::Status fsync_path(const std::string& path, int flags) {
  UniqueFd fd(::open(path.c_str(), flags | O_CLOEXEC));
  if (fd.get() < 0) {
    return errno_error("cannot open", path);
  }
  if (::fsync(fd.get()) != 0) {
    return errno_error("cannot fsync", path);
  }
  return sim::ok_status();
}

}  // namespace

uint32_t crc32c(std::string_view bytes, uint32_t crc) {
  crc = ~crc;
  for (const char c : bytes) {
    crc = kCrc32cTable[(crc ^ static_cast<uint8_t>(c)) & 0xffU] ^ (crc >> 8);
  }
  return ~crc;
}

std::string encode_journal_frame(int64_t virtual_ns,
                                 int64_t wall_unix_ms,
                                 const protocol::HttpRequest& request,
                                 int32_t response_status,
                                 uint32_t response_body_crc) {
  std::string frame(kJournalFrameHeaderBytes, '\0');
  frame.push_back(static_cast<char>(kRecordKindRequest));
  put_u64(frame, static_cast<uint64_t>(virtual_ns));
  put_u64(frame, static_cast<uint64_t>(wall_unix_ms));
  put_u32(frame, static_cast<uint32_t>(response_status));
  put_u32(frame, response_body_crc);
  put_string(frame, request.method);
  put_string(frame, request.target);
  const auto& fields = request.headers.fields();
  put_u32(frame, static_cast<uint32_t>(fields.size()));
  for (const auto& [name, value] : fields) {
    put_string(frame, name);
    put_string(frame, value);
  }
  put_string(frame, request.body);
  const std::string_view payload = std::string_view(frame).substr(kJournalFrameHeaderBytes);
  std::string header;
  put_u32(header, static_cast<uint32_t>(payload.size()));
  put_u32(header, crc32c(payload));
  frame.replace(0, kJournalFrameHeaderBytes, header);
  return frame;
}

sim::Result<JournalScan> scan_journal(
    std::string_view bytes, const std::function<sim::Status(const JournalRecord&)>& on_record) {
  JournalScan scan{.file_bytes = bytes.size()};
  std::size_t offset = 0;
  while (offset < bytes.size()) {
    auto frame = frame_at(bytes, offset);
    if (!frame) {
      if (const std::optional<std::size_t> next = next_intact_frame(bytes, offset)) {
        return state_error("journal record " + std::to_string(scan.records + 1) + " at byte offset "
                           + std::to_string(offset) + " is damaged but an intact record follows "
                           + "at offset " + std::to_string(*next)
                           + ": the journal is corrupt, not merely cut short");
      }
      break;
    }
    if (sim::Status s = on_record(frame->first); !s.ok()) {
      return state_error("journal record " + std::to_string(scan.records + 1) + " at byte offset "
                         + std::to_string(offset) + ": " + s.error().message);
    }
    ++scan.records;
    offset = frame->second;
  }
  scan.valid_bytes = offset;
  return scan;
}

std::string encode_meta(const StateMeta& meta) {
  nlohmann::ordered_json j;
  j["format"] = kMetaFormat;
  j["version"] = meta.version;
  j["seed"] = meta.seed;
  j["auth"] = meta.auth;
  j["epochUnixMs"] = meta.epoch_unix_ms;
  j["world"] = meta.has_world ? nlohmann::ordered_json(kWorldFileName) : nlohmann::ordered_json();
  j["worldSource"] = meta.world_source;
  return j.dump(2) + "\n";
}

sim::Result<StateMeta> decode_meta(std::string_view text) {
  const nlohmann::json j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object() || j.value("format", "") != kMetaFormat) {
    return state_error("meta.json is not an ibsim serve state file");
  }
  StateMeta meta;
  const auto version = j.find("version");
  if (version == j.end() || !version->is_number_integer()) {
    return state_error("meta.json has no integer \"version\"");
  }
  meta.version = version->get<int>();
  if (meta.version != kStateFormatVersion) {
    return state_error("meta.json has format version " + std::to_string(meta.version)
                       + "; this ibsim reads version " + std::to_string(kStateFormatVersion));
  }
  const auto seed = j.find("seed");
  const auto auth = j.find("auth");
  const auto epoch = j.find("epochUnixMs");
  const auto world = j.find("world");
  const auto source = j.find("worldSource");
  if (seed == j.end() || !seed->is_number_unsigned() || auth == j.end() || !auth->is_string()
      || epoch == j.end() || !epoch->is_number_integer() || world == j.end()
      || !(world->is_null() || world->is_string()) || source == j.end() || !source->is_string()) {
    return state_error(
        "meta.json lacks one of seed, auth, epochUnixMs, world, worldSource (or has the wrong "
        "type)");
  }
  meta.seed = seed->get<uint64_t>();
  meta.auth = auth->get<std::string>();
  meta.epoch_unix_ms = epoch->get<int64_t>();
  meta.has_world = world->is_string();
  meta.world_source = source->get<std::string>();
  return meta;
}

sim::Status check_flags_match(const StateMeta& meta,
                              std::string_view stored_world_text,
                              const StateFlags& flags,
                              std::string_view dir) {
  const auto mismatch = [&](const std::string& what) -> sim::Status {
    return sim::aws_error("StateDirMismatch",
                          what + " (state directory " + std::string(dir)
                              + "); leave the flag out to use the directory's value, or use "
                                "another --state-dir",
                          400);
  };
  if (flags.seed && *flags.seed != meta.seed) {
    return mismatch("--seed " + std::to_string(*flags.seed) + " differs from the seed "
                    + std::to_string(meta.seed) + " the state was recorded with");
  }
  if (flags.auth && *flags.auth != meta.auth) {
    return mismatch("--auth " + *flags.auth + " differs from --auth " + meta.auth
                    + " the state was recorded with");
  }
  if (flags.world_text) {
    if (!meta.has_world) {
      return mismatch("--world " + flags.world_path
                      + " was given but the state was recorded without a world file");
    }
    if (*flags.world_text != stored_world_text) {
      return mismatch("--world " + flags.world_path + " differs from the world file the state "
                      + "was recorded with (its copy is " + std::string(kWorldFileName) + ")");
    }
  }
  return sim::ok_status();
}

sim::Result<std::optional<std::string>> read_whole_file(const std::string& path) {
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) {
    if (errno == ENOENT) {
      return std::optional<std::string>();
    }
    return errno_error("cannot open", path);
  }
  std::string bytes;
  std::array<char, 1 << 16> buffer{};
  for (;;) {
    const ssize_t n = ::read(fd.get(), buffer.data(), buffer.size());
    if (n < 0) {
      if (errno == EINTR) {
        continue;
      }
      return errno_error("cannot read", path);
    }
    if (n == 0) {
      break;
    }
    bytes.append(buffer.data(), static_cast<std::size_t>(n));
  }
  return std::optional<std::string>(std::move(bytes));
}

sim::Status write_file_atomically(const std::string& dir,
                                  std::string_view name,
                                  std::string_view bytes) {
  const std::string target = dir + "/" + std::string(name);
  const std::string temp = target + ".tmp";
  {
    UniqueFd fd(::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
    if (fd.get() < 0) {
      return errno_error("cannot create", temp);
    }
    if (sim::Status s = write_all(fd.get(), bytes, temp); !s.ok()) {
      return s;
    }
    if (::fsync(fd.get()) != 0) {
      return errno_error("cannot fsync", temp);
    }
  }
  if (::rename(temp.c_str(), target.c_str()) != 0) {
    return errno_error("cannot rename to", target);
  }
  return fsync_path(dir, O_RDONLY | O_DIRECTORY);
}

StateDir::StateDir(std::string dir, int lock_fd) : dir_(std::move(dir)), lock_fd_(lock_fd) {}

StateDir::StateDir(StateDir&& other) noexcept
    : dir_(std::move(other.dir_)),
      lock_fd_(std::exchange(other.lock_fd_, -1)),
      journal_fd_(std::exchange(other.journal_fd_, -1)),
      meta_(std::move(other.meta_)),
      world_text_(std::move(other.world_text_)),
      journal_bytes_(other.journal_bytes_),
      failed_(other.failed_) {}

StateDir::~StateDir() {
  if (journal_fd_ >= 0) {
    ::close(journal_fd_);
  }
  if (lock_fd_ >= 0) {
    ::close(lock_fd_);  // Releases the flock.
  }
}

std::string StateDir::file(std::string_view name) const {
  return dir_ + "/" + std::string(name);
}

const StateMeta& StateDir::meta() const {
  IBSIM_ASSERT(meta_.has_value(), "meta() is only read after initialized() or initialize()");
  return *meta_;
}

sim::Result<StateDir> StateDir::open(const std::string& dir) {
  if (::mkdir(dir.c_str(), 0755) != 0 && errno != EEXIST) {
    return errno_error("cannot create the state directory", dir);
  }

  struct stat st {};

  if (::stat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
    return state_error("--state-dir " + dir + " is not a directory");
  }
  const std::string lock_path = dir + "/" + std::string(kLockFileName);
  UniqueFd lock(::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644));
  if (lock.get() < 0) {
    return errno_error("cannot open", lock_path);
  }
  if (::flock(lock.get(), LOCK_EX | LOCK_NB) != 0) {
    return state_error("the state directory " + dir + " is in use by another ibsim serve (it holds "
                       + lock_path + ")");
  }
  StateDir state(dir, lock.release());
  sim::Result<std::optional<std::string>> meta_text = read_whole_file(state.file(kMetaFileName));
  if (!meta_text.ok()) {
    return meta_text.error();
  }
  if (!meta_text->has_value()) {
    // A first start killed before meta.json was written left at most a world copy and an empty
    // journal; anything in the journal means the directory is not ours.
    sim::Result<std::optional<std::string>> journal = read_whole_file(state.file(kJournalFileName));
    if (!journal.ok()) {
      return journal.error();
    }
    if (journal->has_value() && !(*journal)->empty()) {
      return state_error("the state directory " + dir + " has a journal but no "
                         + std::string(kMetaFileName) + "; it was not written by ibsim serve");
    }
    return state;
  }
  sim::Result<StateMeta> meta = decode_meta(**meta_text);
  if (!meta.ok()) {
    return state_error(state.file(kMetaFileName) + ": " + meta.error().message);
  }
  if (meta->has_world) {
    sim::Result<std::optional<std::string>> world = read_whole_file(state.file(kWorldFileName));
    if (!world.ok()) {
      return world.error();
    }
    if (!world->has_value()) {
      return state_error(state.file(kWorldFileName) + " is missing");
    }
    state.world_text_ = std::move(**world);
  }
  state.meta_ = std::move(meta).value();
  return state;
}

sim::Status StateDir::initialize(const StateMeta& meta, std::string_view world_text) {
  IBSIM_ASSERT(!meta_.has_value(), "initialize() is for a directory without meta.json");
  if (meta.has_world) {
    if (sim::Status s = write_file_atomically(dir_, kWorldFileName, world_text); !s.ok()) {
      return s;
    }
  }
  {
    const std::string journal = file(kJournalFileName);
    UniqueFd fd(::open(journal.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
    if (fd.get() < 0) {
      return errno_error("cannot create", journal);
    }
    if (::fsync(fd.get()) != 0) {
      return errno_error("cannot fsync", journal);
    }
  }
  if (sim::Status s = write_file_atomically(dir_, kMetaFileName, encode_meta(meta)); !s.ok()) {
    return s;
  }
  meta_ = meta;
  world_text_ = std::string(world_text);
  journal_bytes_ = 0;
  return open_journal_for_append();
}

sim::Result<JournalScan> StateDir::replay_journal(
    const std::function<sim::Status(const JournalRecord&)>& on_record,
    std::string* torn_tail_report) {
  IBSIM_ASSERT(meta_.has_value(), "replay_journal() is for an initialized directory");
  const std::string journal = file(kJournalFileName);
  sim::Result<std::optional<std::string>> bytes = read_whole_file(journal);
  if (!bytes.ok()) {
    return bytes.error();
  }
  const std::string empty;
  const std::string& text = bytes->has_value() ? **bytes : empty;
  sim::Result<JournalScan> scan = scan_journal(text, on_record);
  if (!scan.ok()) {
    return state_error(journal + ": " + scan.error().message);
  }
  if (torn_tail_report != nullptr) {
    torn_tail_report->clear();
  }
  if (scan->valid_bytes < scan->file_bytes) {
    // An append cut short (a kill during write(), or a power loss before fdatasync): nothing
    // in it was acknowledged, so it is dropped.
    UniqueFd fd(::open(journal.c_str(), O_WRONLY | O_CLOEXEC));
    if (fd.get() < 0) {
      return errno_error("cannot open", journal);
    }
    if (::ftruncate(fd.get(), static_cast<off_t>(scan->valid_bytes)) != 0) {
      return errno_error("cannot truncate", journal);
    }
    if (::fdatasync(fd.get()) != 0) {
      return errno_error("cannot fdatasync", journal);
    }
    if (torn_tail_report != nullptr) {
      *torn_tail_report = "dropped a torn record at the end of " + journal + ": "
                          + std::to_string(scan->file_bytes - scan->valid_bytes)
                          + " bytes from offset " + std::to_string(scan->valid_bytes);
    }
  }
  journal_bytes_ = scan->valid_bytes;
  if (sim::Status s = open_journal_for_append(); !s.ok()) {
    return s.error();
  }
  return scan;
}

sim::Status StateDir::open_journal_for_append() {
  const std::string journal = file(kJournalFileName);
  journal_fd_ = ::open(journal.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
  if (journal_fd_ < 0) {
    return errno_error("cannot open", journal);
  }
  return sim::ok_status();
}

sim::Status StateDir::append(std::string_view frame, bool sync) {
  if (failed_) {
    return state_error("the journal failed earlier; the server no longer records changes");
  }
  IBSIM_ASSERT(journal_fd_ >= 0, "append() follows initialize() or replay_journal()");
  const std::string journal = file(kJournalFileName);
  if (sim::Status s = write_all(journal_fd_, frame, journal); !s.ok()) {
    failed_ = true;
    return s;
  }
  journal_bytes_ += frame.size();
  if (sync && ::fdatasync(journal_fd_) != 0) {
    failed_ = true;
    return errno_error("cannot fdatasync", journal);
  }
  return sim::ok_status();
}

}  // namespace ibsim::mock_aws::server

// The state directory of `ibsim serve --state-dir`: record framing, torn tails (dropped) versus
// corruption in the middle (an error naming the offset), meta.json and the flag checks, and the
// files themselves (initialize, append, replay, truncation, the lock).
#include "mock_aws/server/journal.h"

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <stdlib.h>

namespace ibsim::mock_aws::server {
namespace {

protocol::HttpRequest sample_request(int i) {
  protocol::HttpRequest r;
  r.method = "POST";
  r.target = "/?n=" + std::to_string(i);
  r.headers.add("Host", "127.0.0.1");
  r.headers.add("X-Amz-Target", "TrentService.CreateKey");
  r.body = std::string(static_cast<std::size_t>(10 + i), static_cast<char>('a' + i % 26));
  return r;
}

std::string sample_frame(int i) {
  return encode_journal_frame(
      1000 * i, 1'700'000'000'000 + i, sample_request(i), 200, 42U + static_cast<uint32_t>(i));
}

std::vector<JournalRecord> scan_all(std::string_view bytes, JournalScan* scan_out) {
  std::vector<JournalRecord> records;
  sim::Result<JournalScan> scan = scan_journal(bytes, [&](const JournalRecord& r) {
    records.push_back(r);
    return sim::ok_status();
  });
  REQUIRE(scan.ok());
  *scan_out = *scan;
  return records;
}

// A fresh directory under the system's temporary directory, removed at the end of the test.
class TempDir {
 public:
  TempDir() {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "ibsim-journal-XXXXXX").string();
    REQUIRE(::mkdtemp(pattern.data()) != nullptr);
    path_ = pattern;
  }

  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }

  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  std::string path() const { return path_; }

  std::string state() const { return path_ + "/state"; }

 private:
  std::string path_;
};

sim::Status accept_all(const JournalRecord&) {
  return sim::ok_status();
}

TEST_CASE("Journal: crc32c matches the published check value", "[journal]") {
  CHECK(crc32c("123456789") == 0xE3069283U);
  CHECK(crc32c("") == 0U);
}

TEST_CASE("Journal: records round-trip through the framing", "[journal]") {
  const std::string bytes = sample_frame(1) + sample_frame(2) + sample_frame(3);
  JournalScan scan;
  const std::vector<JournalRecord> records = scan_all(bytes, &scan);
  REQUIRE(records.size() == 3);
  CHECK(scan.records == 3);
  CHECK(scan.valid_bytes == bytes.size());
  CHECK(scan.file_bytes == bytes.size());
  const JournalRecord& r = records[1];
  CHECK(r.virtual_ns == 2000);
  CHECK(r.wall_unix_ms == 1'700'000'000'002);
  CHECK(r.response_status == 200);
  CHECK(r.response_body_crc == 44U);
  CHECK(r.request.method == "POST");
  CHECK(r.request.target == "/?n=2");
  CHECK(r.request.headers.fields() == sample_request(2).headers.fields());
  CHECK(r.request.body == sample_request(2).body);
}

TEST_CASE("Journal: a record cut short at any byte is a torn tail", "[journal]") {
  const std::string intact = sample_frame(1) + sample_frame(2);
  const std::string last = sample_frame(3);
  for (std::size_t cut = 1; cut < last.size(); ++cut) {
    const std::string bytes = intact + last.substr(0, cut);
    JournalScan scan;
    const std::vector<JournalRecord> records = scan_all(bytes, &scan);
    CHECK(records.size() == 2);
    CHECK(scan.valid_bytes == intact.size());
    CHECK(scan.file_bytes == bytes.size());
  }
}

TEST_CASE("Journal: a zero-filled or garbled tail is a torn tail", "[journal]") {
  const std::string intact = sample_frame(1);
  for (const std::string& tail : {std::string(4096, '\0'), std::string(100, '\xff')}) {
    JournalScan scan;
    CHECK(scan_all(intact + tail, &scan).size() == 1);
    CHECK(scan.valid_bytes == intact.size());
  }
  std::string flipped = intact + sample_frame(2);
  flipped.back() = static_cast<char>(flipped.back() ^ 1);  // The last record's checksum fails.
  JournalScan scan;
  CHECK(scan_all(flipped, &scan).size() == 1);
  CHECK(scan.valid_bytes == intact.size());
}

TEST_CASE("Journal: a damaged record followed by an intact one is an error naming its offset",
          "[journal]") {
  const std::string first = sample_frame(1);
  std::string bytes = first + sample_frame(2) + sample_frame(3);
  bytes[first.size() + kJournalFrameHeaderBytes + 3] ^= 0x10;  // Inside record 2's payload.
  sim::Result<JournalScan> scan = scan_journal(bytes, accept_all);
  REQUIRE_FALSE(scan.ok());
  CHECK_THAT(scan.error().message,
             Catch::Contains("record 2 at byte offset " + std::to_string(first.size())));
  CHECK_THAT(scan.error().message, Catch::Contains("corrupt"));

  std::string bad_length = first + sample_frame(2) + sample_frame(3);
  bad_length[first.size()] = '\x7f';  // Record 2's length no longer leads to record 3.
  CHECK_FALSE(scan_journal(bad_length, accept_all).ok());
}

TEST_CASE("Journal: an error from the record callback names the record", "[journal]") {
  const std::string bytes = sample_frame(1) + sample_frame(2);
  int seen = 0;
  sim::Result<JournalScan> scan = scan_journal(bytes, [&](const JournalRecord&) -> sim::Status {
    if (++seen == 2) {
      return sim::aws_error("X", "diverged");
    }
    return sim::ok_status();
  });
  REQUIRE_FALSE(scan.ok());
  CHECK_THAT(scan.error().message, Catch::Contains("record 2"));
  CHECK_THAT(scan.error().message, Catch::Contains("diverged"));
}

TEST_CASE("Journal: meta.json round-trips and refuses other versions", "[journal]") {
  const StateMeta meta{.seed = 18'000'000'000'000'000'000ULL,
                       .auth = "lenient",
                       .epoch_unix_ms = 1'767'225'600'123,
                       .has_world = true,
                       .world_source = "worlds/flow.json"};
  sim::Result<StateMeta> back = decode_meta(encode_meta(meta));
  REQUIRE(back.ok());
  CHECK(back->seed == meta.seed);
  CHECK(back->auth == "lenient");
  CHECK(back->epoch_unix_ms == meta.epoch_unix_ms);
  CHECK(back->has_world);
  CHECK(back->world_source == "worlds/flow.json");

  std::string other = encode_meta(meta);
  other.replace(other.find("\"version\": 1"), 12, "\"version\": 9");
  REQUIRE_FALSE(decode_meta(other).ok());
  CHECK_THAT(decode_meta(other).error().message, Catch::Contains("version 9"));
  CHECK_FALSE(decode_meta("{}").ok());
  CHECK_FALSE(decode_meta("not json").ok());
}

TEST_CASE("Journal: flags that differ from the state directory are refused", "[journal]") {
  const StateMeta meta{.seed = 7, .auth = "strict", .has_world = true, .world_source = "w.json"};
  const std::string world = R"({"accounts": {}})";
  CHECK(check_flags_match(meta, world, {}, "d").ok());
  CHECK(
      check_flags_match(meta, world, {.seed = 7, .auth = "strict", .world_text = world}, "d").ok());

  const sim::Status seed = check_flags_match(meta, world, {.seed = 8}, "d");
  REQUIRE_FALSE(seed.ok());
  CHECK(seed.error().code == "StateDirMismatch");
  CHECK_THAT(seed.error().message, Catch::Contains("--seed 8") && Catch::Contains("seed 7"));

  const sim::Status auth = check_flags_match(meta, world, {.auth = "lenient"}, "d");
  REQUIRE_FALSE(auth.ok());
  CHECK_THAT(auth.error().message, Catch::Contains("--auth lenient"));

  const sim::Status other_world =
      check_flags_match(meta, world, {.world_text = "{}", .world_path = "x.json"}, "d");
  REQUIRE_FALSE(other_world.ok());
  CHECK_THAT(other_world.error().message, Catch::Contains("--world x.json differs"));

  StateMeta no_world = meta;
  no_world.has_world = false;
  CHECK_FALSE(check_flags_match(no_world, "", {.world_text = world}, "d").ok());
}

TEST_CASE("Journal: a state directory initializes then replays and truncates a torn tail",
          "[journal]") {
  TempDir tmp;
  const StateMeta meta{.seed = 3, .epoch_unix_ms = 5, .has_world = true, .world_source = "w"};
  {
    sim::Result<StateDir> dir = StateDir::open(tmp.state());
    REQUIRE(dir.ok());
    CHECK_FALSE(dir->initialized());
    REQUIRE(dir->initialize(meta, "{\"w\": 1}").ok());
    REQUIRE(dir->append(sample_frame(1), false).ok());
    REQUIRE(dir->append(sample_frame(2), true).ok());
  }
  const std::string journal = tmp.state() + "/journal";
  const auto intact_bytes = std::filesystem::file_size(journal);
  {
    std::ofstream out(journal, std::ios::binary | std::ios::app);
    out << sample_frame(3).substr(0, 20);
  }
  {
    sim::Result<StateDir> dir = StateDir::open(tmp.state());
    REQUIRE(dir.ok());
    REQUIRE(dir->initialized());
    CHECK(dir->meta().seed == 3);
    CHECK(dir->world_text() == "{\"w\": 1}");
    std::string report;
    std::vector<std::string> targets;
    sim::Result<JournalScan> scan = dir->replay_journal(
        [&](const JournalRecord& r) {
          targets.push_back(r.request.target);
          return sim::ok_status();
        },
        &report);
    REQUIRE(scan.ok());
    CHECK(targets == std::vector<std::string>{"/?n=1", "/?n=2"});
    CHECK_THAT(report, Catch::Contains("20 bytes from offset " + std::to_string(intact_bytes)));
    CHECK(std::filesystem::file_size(journal) == intact_bytes);
    REQUIRE(dir->append(sample_frame(4), true).ok());
  }
  sim::Result<StateDir> dir = StateDir::open(tmp.state());
  REQUIRE(dir.ok());
  std::string report;
  sim::Result<JournalScan> scan = dir->replay_journal(accept_all, &report);
  REQUIRE(scan.ok());
  CHECK(scan->records == 3);
  CHECK(report.empty());
}

TEST_CASE("Journal: a state directory is locked against a second server", "[journal]") {
  TempDir tmp;
  sim::Result<StateDir> first = StateDir::open(tmp.state());
  REQUIRE(first.ok());
  sim::Result<StateDir> second = StateDir::open(tmp.state());
  REQUIRE_FALSE(second.ok());
  CHECK_THAT(second.error().message, Catch::Contains("in use by another ibsim serve"));
}

TEST_CASE("Journal: a directory with a journal but no meta.json is refused", "[journal]") {
  TempDir tmp;
  std::filesystem::create_directory(tmp.state());
  {
    std::ofstream out(tmp.state() + "/journal", std::ios::binary);
    out << sample_frame(1);
  }
  sim::Result<StateDir> dir = StateDir::open(tmp.state());
  REQUIRE_FALSE(dir.ok());
  CHECK_THAT(dir.error().message, Catch::Contains("no meta.json"));
}

TEST_CASE("Journal: a first start killed before meta.json starts over", "[journal]") {
  TempDir tmp;
  std::filesystem::create_directory(tmp.state());
  { std::ofstream out(tmp.state() + "/journal", std::ios::binary); }
  {
    std::ofstream out(tmp.state() + "/world.json", std::ios::binary);
    out << "{";
  }
  sim::Result<StateDir> dir = StateDir::open(tmp.state());
  REQUIRE(dir.ok());
  CHECK_FALSE(dir->initialized());
  REQUIRE(dir->initialize({.has_world = true}, "{}").ok());
  CHECK(dir->world_text() == "{}");
}

}  // namespace
}  // namespace ibsim::mock_aws::server

#include "sim/trace.h"

#include <string>

#include <catch2/catch.hpp>

namespace ibsim::sim {
namespace {

Instant at_s(int64_t s) {
  return Instant::start() + Duration::seconds(s);
}

TEST_CASE("Trace: identical event sequences hash identically", "[sim]") {
  Trace a, b;
  for (Trace* t : {&a, &b}) {
    t->emit(at_s(1), "copy.start", {{"account", "111122223333"}, {"bytes", 8589934592LL}});
    t->emit(at_s(2), "copy.done", {{"image", "ami-0123456789abcdef0"}});
  }
  CHECK(a.hash() == b.hash());
  CHECK(a.event_count() == 2);
  CHECK(a.hash_hex().size() == 16);
}

TEST_CASE("Trace: any difference changes the hash", "[sim]") {
  auto hash_of = [](auto&& fill) {
    Trace t;
    fill(t);
    return t.hash();
  };
  const uint64_t base = hash_of([](Trace& t) { t.emit(at_s(1), "e", {{"k", "v"}}); });
  CHECK(hash_of([](Trace& t) { t.emit(at_s(2), "e", {{"k", "v"}}); }) != base);
  CHECK(hash_of([](Trace& t) { t.emit(at_s(1), "f", {{"k", "v"}}); }) != base);
  CHECK(hash_of([](Trace& t) { t.emit(at_s(1), "e", {{"k", "w"}}); }) != base);
  CHECK(hash_of([](Trace& t) { t.emit(at_s(1), "e", {{"j", "v"}}); }) != base);
  CHECK(hash_of([](Trace& t) { t.emit(at_s(1), "e"); }) != base);
  // Order matters.
  CHECK(hash_of([](Trace& t) {
          t.emit(at_s(1), "a");
          t.emit(at_s(1), "b");
        })
        != hash_of([](Trace& t) {
             t.emit(at_s(1), "b");
             t.emit(at_s(1), "a");
           }));
}

TEST_CASE("Trace: the encoding is unambiguous", "[sim]") {
  Trace a, b, c, d;
  a.emit(at_s(1), "e", {{"ab", "c"}});
  b.emit(at_s(1), "e", {{"a", "bc"}});
  CHECK(a.hash() != b.hash());
  // The integer 1 and the string "1" are different values.
  c.emit(at_s(1), "e", {{"k", 1}});
  d.emit(at_s(1), "e", {{"k", "1"}});
  CHECK(c.hash() != d.hash());
}

TEST_CASE("Trace: recording is optional and bounded", "[sim]") {
  Trace off;
  off.emit(at_s(1), "x", {{"n", 1}});
  CHECK(off.events().empty());

  Trace on(Trace::Options{.record = true, .max_recorded_events = 2});
  Trace hash_only;
  for (int i = 0; i < 5; ++i) {
    on.emit(at_s(i), "tick", {{"i", i}, {"name", std::string("n") + std::to_string(i)}});
    hash_only.emit(at_s(i), "tick", {{"i", i}, {"name", std::string("n") + std::to_string(i)}});
  }
  REQUIRE(on.events().size() == 2);
  CHECK(on.truncated());
  CHECK(on.event_count() == 5);
  CHECK(on.hash() == hash_only.hash());  // Recording never changes the hash.
  CHECK(on.events()[1].kind == "tick");
  CHECK(std::get<int64_t>(on.events()[1].fields[0].value) == 1);
  CHECK(std::get<std::string>(on.events()[1].fields[1].value) == "n1");
}

}  // namespace
}  // namespace ibsim::sim

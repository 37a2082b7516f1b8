#include <catch2/catch.hpp>
#include <thread>
#include <vector>

#include "refimpl/memory/dirty_bitmap.hpp"

using namespace lmc::ref;

TEST_CASE("dirty bitmap: mark, test, clear, count", "[memory]") {
  DirtyBitmap d(130);  // a partial last word
  CHECK(d.pages() == 130);
  CHECK(d.words() == 3);
  CHECK(d.count() == 0);
  d.mark(0);
  d.mark(64);
  d.mark(129);
  d.mark(129);
  CHECK(d.count() == 3);
  CHECK(d.test(64));
  CHECK_FALSE(d.test(65));
  CHECK(d.test_and_clear(64));
  CHECK_FALSE(d.test_and_clear(64));
  CHECK(d.count() == 2);
  d.mark_all();
  CHECK(d.count() == 130);  // no bit past the last page
  CHECK(d.load_word(2) == 0b11);
  d.clear_all();
  CHECK(d.count() == 0);
}

TEST_CASE("dirty bitmap: word operations", "[memory]") {
  DirtyBitmap d(128);
  d.mark_bits(1, 0xF0);
  CHECK(d.test(68));
  CHECK(d.clear_bits(1, 0x30) == 0x30);
  CHECK(d.clear_bits(1, 0x30) == 0);
  CHECK(d.count() == 2);
}

TEST_CASE("dirty bitmap: take_from moves the log's bits", "[memory]") {
  DirtyBitmap log(200);
  DirtyBitmap round(200);
  log.mark(3);
  log.mark(199);
  round.mark(5);
  round.take_from(log);
  CHECK(log.count() == 0);
  CHECK(round.count() == 3);
  CHECK(round.test(199));
  DirtyBitmap other(10);
  CHECK_THROWS_AS(round.take_from(other), std::invalid_argument);
}

TEST_CASE("dirty bitmap: marks from several threads are all kept", "[memory]") {
  DirtyBitmap d(64 * 64);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&d, t] {
      for (std::size_t p = static_cast<std::size_t>(t); p < d.pages(); p += 4) d.mark(p);
    });
  }
  for (auto& t : threads) t.join();
  CHECK(d.count() == d.pages());
}

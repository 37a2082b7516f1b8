#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <csignal>
#include <thread>

#include "fixture.hpp"
#include "refimpl/transfer/link_model.hpp"
#include "refimpl/transfer/page_sender.hpp"

using namespace lmc::ref;
using lmc::ref::test::Pair;

TEST_CASE("link model: virtual time passes by bytes x 8 / bps", "[transfer]") {
  Clock clock = Clock::virtual_time();
  LinkModel link(clock, kIsl1Gbit);
  link.charge(125'000'000);  // one second at 1 Gbit/s
  CHECK(clock.now() == Approx(1.0));
  LinkModel fast(clock, kIsl10Gbit);
  fast.charge(125'000'000);
  CHECK(clock.now() == Approx(1.1));
  LinkModel uncapped(clock, 0);
  uncapped.charge(1'000'000'000);
  CHECK(clock.now() == Approx(1.1));
  CHECK(link.bytes_charged() == 125'000'000);
}

TEST_CASE("link model: real time is capped", "[transfer]") {
  Clock clock = Clock::real_time();
  LinkModel link(clock, 8e6);  // 1 MB/s
  const double start = clock.now();
  for (int i = 0; i < 10; ++i) link.charge(5'000);
  // 50 kB at 1 MB/s: 50 ms, less the 2 ms of burst credit. No upper bound:
  // the machine may be slow.
  CHECK(clock.now() - start >= 0.045);
}

TEST_CASE("link model: a cut link throws TransportError until restored", "[transfer]") {
  Clock clock = Clock::virtual_time();
  LinkModel link(clock, kIsl10Gbit);
  link.cut();
  CHECK(link.is_cut());
  CHECK_THROWS_AS(link.charge(1), TransportError);
  link.restore();
  CHECK_NOTHROW(link.charge(1));
}

TEST_CASE("link channel charges headers and payloads", "[transfer]") {
  Pair pair(64, {});
  Clock clock = Clock::virtual_time();
  LinkModel link(clock, kIsl1Gbit);
  LinkChannel channel(pair.channel, link);
  pair.dirty.mark_all();
  PageSender sender(pair.source, pair.dirty, channel, {});
  const PassStats s = sender.send_dirty();
  CHECK(link.bytes_charged() == s.wire_bytes);
  CHECK(clock.now() == Approx(static_cast<double>(s.wire_bytes) * 8 / kIsl1Gbit));
  const Reply r = channel.request({Control::digest, 0, {}});
  CHECK(r.ok);
  CHECK(link.bytes_charged() == s.wire_bytes + sizeof(FrameHeader));
  CHECK(pair.target_equals_source());
}

TEST_CASE("a cut mid-pass throws and loses no dirty page", "[transfer]") {
  Pair pair(2048, {.seed = 3});
  Clock clock = Clock::virtual_time();
  LinkModel link(clock, kIsl10Gbit);
  LinkChannel channel(pair.channel, link);
  TransferOptions o;
  o.max_run_pages = 32;
  PageSender sender(pair.source, pair.dirty, channel, o);
  int batches = 0;
  sender.set_batch_hook([&](const PassStats&) {
    if (++batches == 10) link.cut();
  });
  pair.dirty.mark_all();
  CHECK_THROWS_AS(sender.send_dirty(), TransportError);
  CHECK(pair.dirty.count() == 2048 - 10 * 32);  // the failed run is dirty again
  CHECK_THROWS_AS(channel.request({Control::digest, 0, {}}), TransportError);
  link.restore();
  sender.set_batch_hook({});
  sender.send_dirty();
  CHECK(pair.target_equals_source());
}

TEST_CASE("a cut with threaded streams throws TransportError", "[transfer]") {
  Pair pair(8192, {.seed = 3}, 4);
  Clock clock = Clock::real_time();
  LinkModel link(clock, 0);
  LinkChannel channel(pair.channel, link);
  TransferOptions o;
  o.streams = 4;
  PageSender sender(pair.source, pair.dirty, channel, o);
  link.cut();
  pair.dirty.mark_all();
  CHECK_THROWS_AS(sender.send_dirty(), TransportError);
  CHECK(pair.dirty.count() == 8192);
}

TEST_CASE("link model: an interrupt stops every charge, and a real-clock wait at once",
          "[transfer]") {
  std::atomic<int> interrupt{0};
  Clock virtual_clock = Clock::virtual_time();
  LinkModel link(virtual_clock, kIsl1Gbit);
  link.stop_when(&interrupt);
  link.charge(1000);
  interrupt.store(SIGINT);
  CHECK_THROWS_WITH(link.charge(1000), "interrupted");

  interrupt.store(0);
  Clock real = Clock::real_time();
  LinkModel slow(real, 8e6);  // 1 MB/s: the charge below would wait 10 s
  slow.stop_when(&interrupt);
  std::thread operator_thread([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    interrupt.store(SIGTERM);
  });
  const double started = real.now();
  CHECK_THROWS_WITH(slow.charge(10'000'000), "interrupted");
  operator_thread.join();
  CHECK(real.now() - started < 5.0);  // not the 10 s the link would have taken
}

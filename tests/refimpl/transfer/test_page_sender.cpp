#include <xxhash.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <memory>

#include "fixture.hpp"
#include "refimpl/transfer/page_sender.hpp"

using namespace lmc::ref;
using lmc::ref::test::Pair;

namespace {

/// Records every frame, then hands it to the target.
class Recorder : public TargetChannel {
 public:
  explicit Recorder(TargetChannel& inner) : inner_(inner) {}
  int streams() const override { return inner_.streams(); }
  void send(const FrameHeader& h, std::span<const std::byte> payload) override {
    headers.push_back(h);
    inner_.send(h, payload);
  }
  Reply request(const ControlRequest& r) override { return inner_.request(r); }
  std::vector<FrameHeader> headers;

 private:
  TargetChannel& inner_;
};

struct Combo {
  bool zero;
  Codec codec;
  bool delta;
  int streams;
  std::size_t run;
};

std::string describe(const Combo& c) {
  return "zero=" + std::to_string(c.zero) + " codec=" + std::to_string(int(c.codec)) +
         " delta=" + std::to_string(c.delta) + " streams=" + std::to_string(c.streams) +
         " run=" + std::to_string(c.run);
}

std::vector<Combo> all_combos() {
  std::vector<Combo> combos;
  for (bool zero : {true, false}) {
    for (Codec codec : {Codec::none, Codec::lz4, Codec::zstd}) {
      for (bool delta : {false, true}) {
        for (int streams : {1, 2, 4}) {
          for (std::size_t run : {std::size_t{1}, std::size_t{5}, std::size_t{64}}) {
            combos.push_back({zero, codec, delta, streams, run});
          }
        }
      }
    }
  }
  return combos;
}

}  // namespace

TEST_CASE("every option combination leaves the target equal to the source", "[transfer]") {
  // 2100 pages: three chunks of 1024, a partial last word; zero pages,
  // hot pages rewritten between passes (delta hits), runs of every length.
  for (const Combo& c : all_combos()) {
    INFO(describe(c));
    Pair pair(2100, {.pattern = Pattern::hot_set, .hot_fraction = 0.2, .zero_fraction = 0.3},
              c.streams);
    TransferOptions o;
    o.detect_zero = c.zero;
    o.codec = c.codec;
    o.delta = c.delta;
    o.streams = c.streams;
    o.max_run_pages = c.run;
    o.checksum = c.streams == 2;  // checksums on some of the runs
    o.delta_cache_pages = 512;    // smaller than memory: slots are shared
    PageSender sender(pair.source, pair.dirty, pair.channel, o);
    pair.dirty.mark_all();
    PassStats first = sender.send_dirty();
    CHECK(first.pages == 2100);
    CHECK(pair.dirty.count() == 0);
    REQUIRE(pair.target_equals_source());
    for (int pass = 0; pass < 2; ++pass) {
      pair.guest.write_pages(300);
      const std::size_t dirty = pair.dirty.count();
      const PassStats s = sender.send_dirty();
      CHECK(s.pages == dirty);
      REQUIRE(pair.first_difference() == pair.source.pages());
    }
  }
}

TEST_CASE("zero pages go as markers, delta and compression are used", "[transfer]") {
  Pair pair(2048, {.pattern = Pattern::zero_heavy, .seed = 5});
  TransferOptions o;
  o.codec = Codec::lz4;
  o.delta = true;
  PageSender sender(pair.source, pair.dirty, pair.channel, o);
  pair.dirty.mark_all();
  const PassStats bulk = sender.send_dirty();
  CHECK(bulk.zero_pages > 1700);
  CHECK(bulk.compressed_pages > 0);  // the filled pages compress
  CHECK(bulk.delta_pages == 0);      // nothing cached in the bulk pass
  pair.guest.write_pages(100);
  sender.send_dirty();  // caches the rewritten pages
  pair.dirty.clear_all();
  for (std::size_t p = 0; p < pair.source.pages(); ++p) {
    if (!pair.guest.is_zero_page(p)) pair.dirty.mark(p);
  }
  pair.guest.write_pages(50);
  const PassStats again = sender.send_dirty();
  CHECK(again.delta_pages > 0);
  CHECK(pair.target_equals_source());
}

TEST_CASE("runs are split at max_run_pages and never cross a gap", "[transfer]") {
  Pair pair(300, {.seed = 2});
  Recorder recorder(pair.channel);
  TransferOptions o;
  o.max_run_pages = 16;
  PageSender sender(pair.source, pair.dirty, recorder, o);
  for (std::size_t p = 10; p < 60; ++p) pair.dirty.mark(p);  // 50 pages across a word boundary
  pair.dirty.mark(62);                                       // a gap of 2
  pair.dirty.mark(127);
  pair.dirty.mark(128);  // contiguous across the next word boundary
  const PassStats s = sender.send_dirty();
  CHECK(s.pages == 53);
  std::vector<std::pair<std::uint64_t, std::uint32_t>> runs;
  for (const auto& h : recorder.headers) runs.emplace_back(h.first_page, h.page_count);
  const std::vector<std::pair<std::uint64_t, std::uint32_t>> expected{{10, 16}, {26, 16}, {42, 16},
                                                                      {58, 2},  {62, 1},  {127, 2}};
  CHECK(runs == expected);
  CHECK(s.frames == expected.size());
  CHECK(s.wire_bytes == s.payload_bytes + expected.size() * sizeof(FrameHeader));
  CHECK(pair.target.memory()->digest() != pair.source.digest());  // the rest was never sent
}

TEST_CASE("bits set during a pass are sent in that pass or left set", "[transfer]") {
  // The hook writes after every batch: pages ahead of the scan go in this
  // pass, pages behind it stay dirty. None may be lost.
  Pair pair(4096, {.pattern = Pattern::uniform, .seed = 9}, 2);
  TransferOptions o;
  o.streams = 2;
  o.max_run_pages = 8;
  PageSender sender(pair.source, pair.dirty, pair.channel, o);
  sender.set_batch_hook([&](const PassStats&) { pair.guest.write_pages(3); });
  pair.dirty.mark_all();
  sender.send_dirty();
  // Every page the target does not hold as the source has it is still dirty.
  for (std::size_t p = 0; p < pair.source.pages(); ++p) {
    const bool same = std::memcmp(pair.target.memory()->page(p).data(), pair.source.page(p).data(),
                                  kPageSize) == 0;
    if (!same) REQUIRE(pair.dirty.test(p));
  }
  CHECK(pair.dirty.count() > 0);
  sender.set_batch_hook({});
  sender.send_dirty();
  CHECK(pair.target_equals_source());
}

TEST_CASE("threaded streams with a guest thread writing: nothing is lost", "[transfer]") {
  Pair pair(8192, {.pattern = Pattern::uniform, .dirty_pages_per_second = 200000, .seed = 4}, 4);
  TransferOptions o;
  o.streams = 4;
  o.delta = true;
  PageSender sender(pair.source, pair.dirty, pair.channel, o);
  pair.dirty.mark_all();
  pair.guest.start_real_time();
  for (int pass = 0; pass < 5; ++pass) sender.send_dirty();
  pair.guest.stop();
  sender.send_dirty();  // the guest is suspended: the final copy
  CHECK(pair.dirty.count() == 0);
  CHECK(pair.target_equals_source());
}

TEST_CASE("the naive loop sends every dirty page on its own", "[transfer]") {
  Pair pair(200, {.zero_fraction = 0.5});
  pair.dirty.mark_all();
  const PassStats s = send_dirty_naive(pair.source, pair.dirty, pair.channel);
  CHECK(s.pages == 200);
  CHECK(s.frames == 200);
  CHECK(s.zero_pages == 0);
  CHECK(pair.target_equals_source());
}

TEST_CASE("page sender rejects options the channel cannot carry", "[transfer]") {
  Pair pair(10, {}, 2);
  TransferOptions o;
  o.streams = 3;
  CHECK_THROWS_AS(PageSender(pair.source, pair.dirty, pair.channel, o), std::invalid_argument);
  o.streams = 1;
  o.max_run_pages = 0;
  CHECK_THROWS_AS(PageSender(pair.source, pair.dirty, pair.channel, o), std::invalid_argument);
}

namespace {

/// Reads every payload twice, as the TCP channel does (the checksum, then the
/// copy onto the wire), and has the guest write each page of the frame in
/// between: the race of a real-time LM over TCP, made certain.
class GuestWritesDuringSend : public TargetChannel {
 public:
  explicit GuestWritesDuringSend(Pair& pair)
      : pair_(pair), written_(std::make_unique<std::atomic<bool>[]>(pair.source.pages())) {}
  int streams() const override { return pair_.channel.streams(); }
  bool needs_stable_payload() const override { return true; }
  void send(const FrameHeader& h, std::span<const std::byte> payload) override {
    const auto before = XXH3_64bits(payload.data(), payload.size());
    if (writing && h.kind != FrameKind::sync) {
      for (std::uint64_t p = h.first_page; p < h.first_page + h.page_count; ++p) write(p);
    }
    if (XXH3_64bits(payload.data(), payload.size()) != before) changed_payloads.fetch_add(1);
    pair_.channel.send(h, payload);
  }
  Reply request(const ControlRequest& r) override { return pair_.channel.request(r); }
  bool written(std::size_t page) const { return written_[page].load(); }

  bool writing = true;
  std::atomic<int> changed_payloads{0};

 private:
  /// As the guest does: change a word of the page, then mark it.
  void write(std::size_t page) {
    auto bytes = pair_.source.page(page);
    const std::uint64_t word = (page << 1) | 1;  // never zero: a zero page changes too
    std::memcpy(bytes.data() + 64, &word, sizeof word);
    pair_.dirty.mark(page);
    written_[page].store(true);
  }

  Pair& pair_;
  std::unique_ptr<std::atomic<bool>[]> written_;
};

}  // namespace

TEST_CASE("a page written while its frame is sent goes as it was read and is sent again",
          "[transfer]") {
  struct Setting {
    Codec codec;
    bool delta;
    int streams;
  };
  for (const Setting c : {Setting{Codec::none, false, 1}, Setting{Codec::none, false, 2},
                          Setting{Codec::lz4, false, 1}, Setting{Codec::zstd, false, 2},
                          Setting{Codec::none, true, 1}, Setting{Codec::none, true, 2}}) {
    INFO("codec " << int(c.codec) << " delta " << c.delta << " streams " << c.streams);
    Pair pair(2100, {.zero_fraction = 0.3}, c.streams);
    GuestWritesDuringSend channel(pair);
    TransferOptions o;
    o.codec = c.codec;
    o.delta = c.delta;
    o.streams = c.streams;
    o.checksum = true;  // the in-process target checks it, as the TCP target does
    PageSender sender(pair.source, pair.dirty, channel, o);
    pair.dirty.mark_all();
    sender.send_dirty();  // the bulk pass: no cache, still copies
    sender.send_dirty();  // past the bulk pass: with delta, via the cache
    // No payload changed under the channel, and the target took every frame.
    CHECK(channel.changed_payloads.load() == 0);
    // The bit of every page was cleared before its bytes were read, so each
    // write made during the send left its page dirty for the next pass.
    for (std::size_t p = 0; p < pair.source.pages(); ++p) {
      if (channel.written(p)) REQUIRE(pair.dirty.test(p));
    }
    channel.writing = false;  // the guest is suspended: the final copy
    sender.send_dirty();
    CHECK(pair.dirty.count() == 0);
    CHECK(pair.target_equals_source());
  }
}

TEST_CASE("the naive loop also sends a copy to a channel that reads the payload twice",
          "[transfer]") {
  Pair pair(300, {});
  GuestWritesDuringSend channel(pair);
  pair.dirty.mark_all();
  send_dirty_naive(pair.source, pair.dirty, channel);
  CHECK(channel.changed_payloads.load() == 0);
  CHECK(pair.dirty.count() == 300);  // each page written during its send: dirty again
  channel.writing = false;
  send_dirty_naive(pair.source, pair.dirty, channel);
  CHECK(pair.target_equals_source());
}

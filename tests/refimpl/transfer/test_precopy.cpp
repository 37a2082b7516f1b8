#include <catch2/catch.hpp>

#include "fixture.hpp"
#include "refimpl/transfer/link_model.hpp"
#include "refimpl/transfer/precopy.hpp"
#include "refimpl/transfer/precopy_model.hpp"

using namespace lmc::ref;
using lmc::ref::test::Pair;

namespace {

/// Runs pre-copy to its verdict; the final copy when it converged.
PrecopyVerdict migrate(Precopy& precopy) {
  PrecopyVerdict v = PrecopyVerdict::keep_going;
  while (v == PrecopyVerdict::keep_going) {
    precopy.round();
    v = precopy.verdict();
  }
  if (v == PrecopyVerdict::stop_and_copy) precopy.final_copy();
  return v;
}

constexpr std::size_t kPages = 4096;  // 16 MiB
constexpr double kLinkBytes = kIsl1Gbit / 8;

}  // namespace

TEST_CASE("pre-copy with a writing guest: the target equals the source at suspend", "[transfer]") {
  for (Pattern pattern :
       {Pattern::uniform, Pattern::hot_set, Pattern::sequential, Pattern::zero_heavy}) {
    for (bool delta : {false, true}) {
      INFO("pattern " << int(pattern) << " delta " << delta);
      const double rate = 0.4 * kLinkBytes / kPageSize;  // lambda 0.4
      Pair pair(kPages, {.pattern = pattern, .dirty_pages_per_second = rate, .seed = 11});
      Clock clock = Clock::virtual_time();
      LinkModel link(clock, kIsl1Gbit);
      LinkChannel channel(pair.channel, link);
      PrecopyPolicy policy;
      policy.downtime_target_seconds = 0.005;  // several rounds
      TransferOptions o;
      o.delta = delta;
      o.codec = delta ? Codec::zstd : Codec::none;
      pair.dirty.mark_all();
      Precopy precopy(pair.source, pair.dirty, channel, clock, &pair.guest, policy, o);
      REQUIRE(migrate(precopy) == PrecopyVerdict::stop_and_copy);
      CHECK(precopy.rounds().size() >= 2);  // a round, then the final copy
      CHECK(precopy.rounds().back().final_copy);
      CHECK(pair.guest.writes() > 0);
      const auto digest = channel.request({Control::digest, 0, {}});
      CHECK(digest_from_bytes(digest.data) == pair.source.digest());
      REQUIRE(pair.target_equals_source());
    }
  }
}

TEST_CASE("pre-copy in virtual time is deterministic", "[transfer]") {
  auto run = [] {
    Pair pair(kPages, {.dirty_pages_per_second = 10000, .seed = 5});
    Clock clock = Clock::virtual_time();
    LinkModel link(clock, kIsl1Gbit);
    LinkChannel channel(pair.channel, link);
    pair.dirty.mark_all();
    PrecopyPolicy policy;
    policy.downtime_target_seconds = 0.01;
    TransferOptions o;
    o.streams = 1;
    Precopy precopy(pair.source, pair.dirty, channel, clock, &pair.guest, policy, o);
    migrate(precopy);
    return std::make_pair(clock.now(), precopy.bytes_sent());
  };
  CHECK(run() == run());
}

/// A pre-copy of `pair` over a 1 Gbit/s link on a virtual clock, every page
/// dirty to begin with.
struct OnSlowLink {
  explicit OnSlowLink(Pair& pair) : link(clock, kIsl1Gbit), channel(pair.channel, link) {
    pair.dirty.mark_all();
  }
  Clock clock = Clock::virtual_time();
  LinkModel link;
  LinkChannel channel;
};

TEST_CASE("SU /390: a guest faster than the link does not converge", "[transfer]") {
  const double rate = 1.5 * kLinkBytes / kPageSize;  // lambda 1.5
  Pair pair(kPages, {.pattern = Pattern::sequential, .dirty_pages_per_second = rate});
  OnSlowLink on(pair);
  PrecopyPolicy policy;
  policy.downtime_target_seconds = 0.01;
  Precopy precopy(pair.source, pair.dirty, on.channel, on.clock, &pair.guest, policy, {});
  CHECK(migrate(precopy) == PrecopyVerdict::not_converging);
  CHECK(precopy.bytes_sent() >= 3 * pair.source.bytes());
  CHECK(pair.guest.throttle() == 1.0);  // /390 never throttles
}

TEST_CASE("SU x86: the same guest is throttled and the migration completes", "[transfer]") {
  const double rate = 1.5 * kLinkBytes / kPageSize;
  Pair pair(kPages, {.pattern = Pattern::sequential, .dirty_pages_per_second = rate});
  OnSlowLink on(pair);
  PrecopyPolicy policy;
  policy.downtime_target_seconds = 0.01;
  policy.throttle_instead_of_abort = true;
  Precopy precopy(pair.source, pair.dirty, on.channel, on.clock, &pair.guest, policy, {});
  CHECK(migrate(precopy) == PrecopyVerdict::stop_and_copy);
  CHECK(pair.guest.throttle() < 1.0);
  CHECK(precopy.rounds().back().throttle < 1.0);
  CHECK(pair.target_equals_source());
}

TEST_CASE("SU x86: a guest that cannot be slowed enough still completes", "[transfer]") {
  const double rate = 500 * kLinkBytes / kPageSize;  // even 1% of it outruns the link
  Pair pair(kPages, {.pattern = Pattern::uniform, .dirty_pages_per_second = rate});
  OnSlowLink on(pair);
  PrecopyPolicy policy;
  policy.downtime_target_seconds = 0.001;
  policy.throttle_instead_of_abort = true;
  Precopy precopy(pair.source, pair.dirty, on.channel, on.clock, &pair.guest, policy, {});
  CHECK(migrate(precopy) == PrecopyVerdict::stop_and_copy);
  CHECK(pair.guest.throttle() == Approx(policy.min_throttle));
  CHECK(precopy.rounds().back().seconds > policy.downtime_target_seconds);  // the longer pause
  CHECK(pair.target_equals_source());
}

TEST_CASE("a link cut during pre-copy throws TransportError", "[transfer]") {
  Pair pair(kPages, {.dirty_pages_per_second = 1000});
  Clock clock = Clock::virtual_time();
  LinkModel link(clock, kIsl10Gbit);
  LinkChannel channel(pair.channel, link);
  pair.dirty.mark_all();
  Precopy precopy(pair.source, pair.dirty, channel, clock, &pair.guest, {}, {});
  precopy.set_batch_hook([&](const PassStats& s) {
    if (s.pages > 1000) link.cut();
  });
  CHECK_THROWS_AS(precopy.round(), TransportError);
}

TEST_CASE("pre-copy matches the analytical model for a constant dirty rate", "[transfer]") {
  // Deterministic (virtual clock): a check of the model, not a timing test.
  for (double lambda : {0.3, 0.6, 0.85}) {
    INFO("lambda " << lambda);
    const std::size_t pages = 16384;  // 64 MiB
    const double rate = lambda * kLinkBytes;
    Pair pair(pages, {.pattern = Pattern::sequential, .dirty_pages_per_second = rate / kPageSize});
    Clock clock = Clock::virtual_time();
    LinkModel link(clock, kIsl1Gbit);
    LinkChannel channel(pair.channel, link);
    PrecopyPolicy policy;
    policy.downtime_target_seconds = 0.02;
    policy.max_sent_factor = 10;
    pair.dirty.mark_all();
    Precopy precopy(pair.source, pair.dirty, channel, clock, &pair.guest, policy, {});
    REQUIRE(migrate(precopy) == PrecopyVerdict::stop_and_copy);
    const auto model =
        predict_precopy(static_cast<double>(pair.source.bytes()), kLinkBytes, rate, policy);
    REQUIRE(model.converges);
    CHECK(static_cast<int>(precopy.rounds().size()) == model.rounds + 1);
    CHECK(clock.now() == Approx(model.total_seconds).epsilon(0.1));
    CHECK(static_cast<double>(precopy.bytes_sent()) == Approx(model.total_bytes).epsilon(0.1));
    CHECK(precopy.rounds().back().seconds == Approx(model.downtime_seconds).epsilon(0.1));
    CHECK(pair.target_equals_source());
  }
}

TEST_CASE("analytical model: rounds, total and downtime", "[transfer]") {
  PrecopyPolicy policy;
  const double m = 1e9;
  const double b = 1e8;
  // lambda 0.5: M lambda^n / B <= 0.3 s from n = 6 (10 / 64 = 0.156).
  const auto p = predict_precopy(m, b, 0.5e8, policy);
  CHECK(p.converges);
  CHECK(p.rounds == 6);
  CHECK(p.total_bytes == Approx(m * (1 - std::pow(0.5, 7)) / 0.5));
  CHECK(p.downtime_seconds == Approx(m * std::pow(0.5, 6) / b));
  CHECK_FALSE(predict_precopy(m, b, 2e8, policy).converges);  // lambda 2
}

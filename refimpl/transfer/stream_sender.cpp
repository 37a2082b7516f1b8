#include "refimpl/transfer/stream_sender.hpp"

#include <xxhash.h>

#include <algorithm>
#include <bit>
#include <cstring>

#include "refimpl/core/delta_codec.hpp"
#include "refimpl/core/page_ops.hpp"

namespace lmc::ref {
namespace {

/// A delta bigger than this goes as the page itself: decoding it would cost
/// the target more than the few bytes it saves.
constexpr std::size_t kDeltaLimit = kPageSize * 3 / 4;

std::uint64_t low_bits(std::size_t n) {
  return n >= 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << n) - 1;
}

}  // namespace

StreamSender::StreamSender(int index, int streams, const GuestMemory& source, DirtyBitmap& dirty,
                           TargetChannel& channel, const TransferOptions& options)
    : index_(index),
      streams_(streams),
      source_(source),
      dirty_(dirty),
      channel_(channel),
      options_(options),
      compressor_(options.codec),
      stable_payload_(options.checksum || channel.needs_stable_payload()),
      delta_(kDeltaLimit) {
  if (options.codec != Codec::none) {
    packed_.resize(Compressor::bound(options.codec, options.max_run_pages * kPageSize));
  }
}

void StreamSender::send_chunk(std::size_t chunk, bool bulk,
                              const std::function<void()>& after_batch) {
  use_cache_ = options_.delta && !bulk;
  use_staging_ = use_cache_ || stable_payload_;
  if (use_cache_ && !cache_) make_cache();
  const std::size_t first_word = chunk * kChunkPages / 64;
  const std::size_t end_word = std::min(dirty_.words(), first_word + kChunkPages / 64);
  const std::size_t max_run = options_.max_run_pages;
  for (std::size_t w = first_word; w < end_word; ++w) {
    // One load per word: a clean word (64 pages) is skipped at once. Bits the
    // guest sets after this load stay set for a later pass.
    std::uint64_t bits = dirty_.load_word(w);
    while (bits != 0) {
      const int b = std::countr_zero(bits);
      const auto len = static_cast<std::size_t>(std::countr_one(bits >> b));
      const std::size_t page = w * 64 + static_cast<std::size_t>(b);
      if (run_count_ > 0 && page != run_first_ + run_count_) flush_run(after_batch);
      if (run_count_ == 0) run_first_ = page;
      const std::size_t n = std::min(len, max_run - run_count_);
      const std::uint64_t mask = low_bits(n) << b;
      dirty_.clear_bits(w, mask);  // cleared before the pages are read
      run_count_ += n;
      bits &= ~mask;
      if (run_count_ == max_run) flush_run(after_batch);
    }
  }
  if (run_count_ > 0) flush_run(after_batch);
}

void StreamSender::flush_run(const std::function<void()>& after_batch) {
  try {
    send_run();
  } catch (...) {
    // The run's bits were cleared but its pages may not have arrived: mark
    // them again, and forget their cached copies (the target may lack them).
    for (std::size_t p = run_first_; p < run_first_ + run_count_; ++p) dirty_.mark(p);
    if (cache_) cache_forget(run_first_, run_count_);
    run_count_ = 0;
    piece_count_ = 0;
    throw;
  }
  run_count_ = 0;
  if (after_batch) after_batch();
}

void StreamSender::send_run() {
  if (use_staging_ && staging_.size() < run_count_ * kPageSize) {
    staging_.resize(options_.max_run_pages * kPageSize);
  }
  piece_kind_ = Kind::none;
  piece_count_ = 0;
  for (std::size_t i = 0; i < run_count_; ++i) classify_page(i);
  end_piece();
}

void StreamSender::classify_page(std::size_t i) {
  const std::size_t page = run_first_ + i;
  const std::byte* now = source_.page(page).data();
  // A zero marker may go for a page the guest writes right now: its bit was
  // cleared before this read, so the write marks it again.
  if (options_.detect_zero && is_zero_page(now)) return add_to_piece(Kind::zero, i);
  if (use_staging_) {
    // Send a snapshot, never the live page. The cache must hold exactly the
    // bytes the target got, or the next delta would be applied to other
    // bytes; a checksum must cover exactly the bytes that go on the wire.
    // The bit was cleared before this copy, so a later write goes next pass.
    std::byte* snap = staging_.data() + i * kPageSize;
    std::memcpy(snap, now, kPageSize);
    if (use_cache_) {
      if (try_delta(page, snap)) return;
      cache_store(page, snap);
    }
  }
  add_to_piece(Kind::raw, i);
}

void StreamSender::add_to_piece(Kind kind, std::size_t i) {
  if (piece_kind_ != kind) {
    end_piece();
    piece_kind_ = kind;
    piece_start_ = i;
  }
  ++piece_count_;
}

void StreamSender::end_piece() {
  if (piece_count_ == 0) return;
  const std::size_t first = run_first_ + piece_start_;
  if (piece_kind_ == Kind::zero) {
    send_zero(first, piece_count_);
  } else {
    const std::byte* bytes =
        use_staging_ ? staging_.data() + piece_start_ * kPageSize : source_.page(first).data();
    send_raw(first, piece_count_, bytes);
  }
  piece_count_ = 0;
  piece_kind_ = Kind::none;
}

void StreamSender::send_zero(std::size_t first, std::size_t count) {
  FrameHeader h;
  h.kind = FrameKind::zero_pages;
  h.first_page = first;
  h.page_count = static_cast<std::uint32_t>(count);
  emit(h, {});
  stats_.pages += count;
  stats_.zero_pages += count;
  if (cache_) cache_forget(first, count);
}

void StreamSender::send_raw(std::size_t first, std::size_t count, const std::byte* bytes) {
  const std::span<const std::byte> raw{bytes, count * kPageSize};
  FrameHeader h;
  h.first_page = first;
  h.page_count = static_cast<std::uint32_t>(count);
  stats_.pages += count;
  if (options_.codec != Codec::none) {
    if (const auto size = compressor_.compress(raw, packed_)) {
      h.kind = FrameKind::compressed_pages;
      h.codec = options_.codec;
      stats_.compressed_pages += count;
      return emit(h, {packed_.data(), *size});
    }
  }
  h.kind = FrameKind::pages;
  emit(h, raw);
}

bool StreamSender::try_delta(std::size_t page, const std::byte* now) {
  const std::size_t slot = cache_slot(page);
  if (cache_tags_[slot] != page + 1) return false;
  const auto size = encode_delta(cache_->page(slot), {now, kPageSize}, delta_);
  if (!size) return false;
  end_piece();  // the delta page splits the run: pieces are contiguous
  FrameHeader h;
  h.kind = FrameKind::delta_page;
  h.first_page = page;
  h.page_count = 1;
  emit(h, {delta_.data(), *size});
  ++stats_.pages;
  ++stats_.delta_pages;
  cache_store(page, now);
  return true;
}

void StreamSender::emit(FrameHeader header, std::span<const std::byte> payload) {
  header.stream = static_cast<std::uint16_t>(index_);
  header.payload_bytes = static_cast<std::uint32_t>(payload.size());
  if (options_.checksum && !payload.empty()) {
    header.checksum = XXH3_64bits(payload.data(), payload.size());
  }
  channel_.send(header, payload);
  ++stats_.frames;
  stats_.payload_bytes += payload.size();
  stats_.wire_bytes += payload.size() + sizeof(FrameHeader);
}

void StreamSender::make_cache() {
  // This stream's share of the cache, no more slots than it has pages.
  const std::size_t chunks = (source_.pages() + kChunkPages - 1) / kChunkPages;
  const std::size_t own_chunks =
      (chunks + static_cast<std::size_t>(streams_) - 1) / static_cast<std::size_t>(streams_);
  const std::size_t share = options_.delta_cache_pages / static_cast<std::size_t>(streams_);
  const std::size_t slots = std::max<std::size_t>(1, std::min(share, own_chunks * kChunkPages));
  cache_.emplace(slots);
  cache_tags_.assign(slots, 0);
}

std::size_t StreamSender::cache_slot(std::size_t page) const {
  // The page's index among this stream's pages, so that the stream's slots
  // are used evenly; pages of other streams never reach this cache.
  const std::size_t chunk = page / kChunkPages;
  const std::size_t local =
      chunk / static_cast<std::size_t>(streams_) * kChunkPages + page % kChunkPages;
  return local % cache_tags_.size();
}

void StreamSender::cache_store(std::size_t page, const std::byte* bytes) {
  const std::size_t slot = cache_slot(page);
  std::memcpy(cache_->page(slot).data(), bytes, kPageSize);
  cache_tags_[slot] = page + 1;
}

void StreamSender::cache_forget(std::size_t first, std::size_t count) {
  for (std::size_t p = first; p < first + count; ++p) {
    const std::size_t slot = cache_slot(p);
    if (cache_tags_[slot] == p + 1) cache_tags_[slot] = 0;
  }
}

}  // namespace lmc::ref

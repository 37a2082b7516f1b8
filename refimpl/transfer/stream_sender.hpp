#pragma once
// One stream of the page-transfer loop (internal to PageSender): scans its
// chunks of the dirty log, cuts dirty pages into runs and sends each run as
// zero, raw, compressed or delta frames.

#include <cstddef>
#include <functional>
#include <optional>
#include <vector>

#include "refimpl/core/compression.hpp"
#include "refimpl/memory/dirty_bitmap.hpp"
#include "refimpl/memory/guest_memory.hpp"
#include "refimpl/transfer/page_sender.hpp"
#include "refimpl/transport/channel.hpp"

namespace lmc::ref {

/// Pages per chunk of the dirty log; chunk k belongs to stream k mod streams.
inline constexpr std::size_t kChunkPages = 1024;

class StreamSender {
 public:
  StreamSender(int index, int streams, const GuestMemory& source, DirtyBitmap& dirty,
               TargetChannel& channel, const TransferOptions& options);

  /// Sends the dirty pages of chunk `chunk`; `after_batch` runs after each run.
  /// `bulk`: the first pass, when nothing is cached yet (no delta, no snapshots).
  void send_chunk(std::size_t chunk, bool bulk, const std::function<void()>& after_batch);
  const PassStats& stats() const { return stats_; }
  void reset_stats() { stats_ = {}; }

 private:
  enum class Kind { none, zero, raw };
  void flush_run(const std::function<void()>& after_batch);
  void send_run();
  void classify_page(std::size_t index);
  void add_to_piece(Kind kind, std::size_t index);
  void end_piece();
  void send_zero(std::size_t first, std::size_t count);
  void send_raw(std::size_t first, std::size_t count, const std::byte* bytes);
  bool try_delta(std::size_t page, const std::byte* now);
  void emit(FrameHeader header, std::span<const std::byte> payload);
  void make_cache();
  std::size_t cache_slot(std::size_t page) const;
  void cache_store(std::size_t page, const std::byte* bytes);
  void cache_forget(std::size_t first, std::size_t count);

  int index_;
  int streams_;
  const GuestMemory& source_;
  DirtyBitmap& dirty_;
  TargetChannel& channel_;
  const TransferOptions& options_;
  Compressor compressor_;
  PassStats stats_;
  /// Pages go from a copy, never from live memory: the channel or the
  /// checksum reads a payload twice, and the guest may write in between.
  bool stable_payload_ = false;
  bool use_cache_ = false;    ///< delta on and past the bulk pass: every page goes via the cache
  bool use_staging_ = false;  ///< this chunk's pages are copied to staging_ first
  // The run being built: pages run_first_ .. run_first_ + run_count_ - 1.
  std::size_t run_first_ = 0, run_count_ = 0;
  // The piece of the run being classified: consecutive pages of one kind.
  Kind piece_kind_ = Kind::none;
  std::size_t piece_start_ = 0, piece_count_ = 0;
  std::vector<std::byte> staging_;         ///< snapshot of the run (use_staging_)
  std::vector<std::byte> packed_;          ///< the compressed run
  std::vector<std::byte> delta_;           ///< the encoded delta of one page
  std::optional<GuestMemory> cache_;       ///< last-sent copies (lazy: delta only)
  std::vector<std::uint64_t> cache_tags_;  ///< page + 1 per slot, 0 = empty
};

}  // namespace lmc::ref

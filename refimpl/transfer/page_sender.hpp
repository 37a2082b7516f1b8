#pragma once
// The optimized page-transfer loop: one pass over the dirty log sends every
// page that is dirty when the scan reaches it.
//
// - The log is scanned a 64-bit word at a time; a clean word costs one load.
// - Each page's bit is cleared just before the page is read, so a write that
//   races with the read dirties the page again (it goes in a later pass).
// - Contiguous dirty pages go as one frame (up to max_run_pages).
// - Zero pages go as markers without payload.
// - Optional: zstd or lz4 compression of each run, and delta encoding of a
//   page against a cache of the copy last sent (after the first pass).
// - Several streams: the log is cut into chunks of 1024 pages, chunk k
//   belongs to stream k mod streams (so a page always travels on the same
//   stream and its delta cache). Without a batch hook every stream has its
//   own thread; with a hook the streams take turns on the calling thread, in
//   a fixed order, so a run on a virtual clock is reproducible.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "refimpl/memory/dirty_bitmap.hpp"
#include "refimpl/memory/guest_memory.hpp"
#include "refimpl/transport/channel.hpp"

namespace lmc::ref {

struct TransferOptions {
  bool detect_zero = true;
  Codec codec = Codec::none;
  bool delta = false;
  int streams = 1;
  std::size_t max_run_pages = 64;
  bool checksum = false;  ///< XXH3-64 of every payload in its header
  /// Delta: pages the cache of last-sent copies holds, over all streams
  /// (QEMU's XBZRLE cache defaults to 64 MiB, i.e. 16384 pages).
  std::size_t delta_cache_pages = 16384;
};

struct PassStats {
  std::size_t pages = 0, zero_pages = 0, delta_pages = 0, compressed_pages = 0, frames = 0;
  std::uint64_t payload_bytes = 0, wire_bytes = 0;  ///< wire: payload plus 32-byte headers
  double seconds = 0;                               ///< wall time of the pass (steady clock)
  PassStats& operator+=(const PassStats& other);
};

class StreamSender;

class PageSender {
 public:
  /// Throws std::invalid_argument for options the channel cannot carry
  /// (streams outside 1..channel.streams(), max_run_pages outside 1..65536).
  PageSender(const GuestMemory& source, DirtyBitmap& dirty, TargetChannel& channel,
             TransferOptions options);
  ~PageSender();
  PageSender(const PageSender&) = delete;
  PageSender& operator=(const PageSender&) = delete;

  /// One pass. Throws what the channel throws (TransportError); the pages of
  /// the run that failed are marked dirty again, so none is lost.
  PassStats send_dirty();
  /// Called after every batch (one run of pages) with the pass's stats so
  /// far; the streams then run on the calling thread (see above).
  void set_batch_hook(std::function<void(const PassStats&)> hook);
  const TransferOptions& options() const { return options_; }
  /// Passes done; the first one is the bulk pass (no delta: nothing cached yet).
  int passes() const { return passes_; }

 private:
  void run_serial(bool bulk, std::chrono::steady_clock::time_point start);
  void run_threaded(bool bulk);
  PassStats total() const;

  DirtyBitmap& dirty_;
  TransferOptions options_;
  std::vector<std::unique_ptr<StreamSender>> streams_;
  std::function<void(const PassStats&)> hook_;
  int passes_ = 0;
};

/// The naive loop the benchmark compares with: test each page's bit, send the
/// page as a frame of its own. No zero detection, batching or threads.
PassStats send_dirty_naive(const GuestMemory& source, DirtyBitmap& dirty, TargetChannel& channel);

}  // namespace lmc::ref

#include "refimpl/transfer/page_sender.hpp"

#include <atomic>
#include <chrono>
#include <cstring>
#include <exception>
#include <stdexcept>
#include <thread>

#include "refimpl/transfer/stream_sender.hpp"

namespace lmc::ref {
namespace {

using steady = std::chrono::steady_clock;

double since(steady::time_point start) {
  return std::chrono::duration<double>(steady::now() - start).count();
}

}  // namespace

PassStats& PassStats::operator+=(const PassStats& o) {
  pages += o.pages;
  zero_pages += o.zero_pages;
  delta_pages += o.delta_pages;
  compressed_pages += o.compressed_pages;
  frames += o.frames;
  payload_bytes += o.payload_bytes;
  wire_bytes += o.wire_bytes;
  seconds += o.seconds;
  return *this;
}

PageSender::PageSender(const GuestMemory& source, DirtyBitmap& dirty, TargetChannel& channel,
                       TransferOptions options)
    : dirty_(dirty), options_(options) {
  if (options.streams < 1 || options.streams > channel.streams()) {
    throw std::invalid_argument("PageSender: streams must be between 1 and the channel's " +
                                std::to_string(channel.streams()));
  }
  if (options.max_run_pages < 1 || options.max_run_pages > 65536) {
    throw std::invalid_argument("PageSender: max_run_pages must be between 1 and 65536");
  }
  if (source.pages() != dirty.pages()) {
    throw std::invalid_argument("PageSender: the dirty log and the memory differ in size");
  }
  for (int s = 0; s < options.streams; ++s) {
    streams_.push_back(
        std::make_unique<StreamSender>(s, options.streams, source, dirty, channel, options_));
  }
}

PageSender::~PageSender() = default;

void PageSender::set_batch_hook(std::function<void(const PassStats&)> hook) {
  hook_ = std::move(hook);
}

PassStats PageSender::total() const {
  PassStats sum;
  for (const auto& s : streams_) sum += s->stats();
  return sum;
}

PassStats PageSender::send_dirty() {
  const auto start = steady::now();
  for (auto& s : streams_) s->reset_stats();
  const bool bulk = passes_ == 0;
  if (hook_ || streams_.size() == 1) {
    run_serial(bulk, start);
  } else {
    run_threaded(bulk);
  }
  ++passes_;
  PassStats result = total();
  result.seconds = since(start);
  return result;
}

void PageSender::run_serial(bool bulk, std::chrono::steady_clock::time_point start) {
  const std::function<void()> after = [&] {
    if (!hook_) return;
    PassStats so_far = total();
    so_far.seconds = since(start);
    hook_(so_far);
  };
  const std::size_t chunks = (dirty_.pages() + kChunkPages - 1) / kChunkPages;
  for (std::size_t k = 0; k < chunks; ++k) {
    streams_[k % streams_.size()]->send_chunk(k, bulk, after);
  }
}

void PageSender::run_threaded(bool bulk) {
  const std::size_t chunks = (dirty_.pages() + kChunkPages - 1) / kChunkPages;
  const std::size_t n = streams_.size();
  std::atomic<bool> failed{false};
  std::exception_ptr error;
  std::atomic_flag error_set = ATOMIC_FLAG_INIT;
  std::vector<std::thread> threads;
  for (std::size_t s = 0; s < n; ++s) {
    threads.emplace_back([&, s] {
      try {
        for (std::size_t k = s; k < chunks && !failed.load(); k += n) {
          streams_[s]->send_chunk(k, bulk, {});
        }
      } catch (...) {
        failed.store(true);
        if (!error_set.test_and_set()) error = std::current_exception();
      }
    });
  }
  for (auto& t : threads) t.join();
  if (error) std::rethrow_exception(error);
}

PassStats send_dirty_naive(const GuestMemory& source, DirtyBitmap& dirty, TargetChannel& channel) {
  const auto start = steady::now();
  PassStats stats;
  // Same rule as the optimized loop: a channel that reads the payload twice
  // gets a copy, since the guest may write the page during the send.
  std::vector<std::byte> copy(channel.needs_stable_payload() ? kPageSize : 0);
  for (std::size_t p = 0; p < source.pages(); ++p) {
    if (!dirty.test_and_clear(p)) continue;
    FrameHeader h;
    h.kind = FrameKind::pages;
    h.first_page = p;
    h.page_count = 1;
    h.payload_bytes = kPageSize;
    std::span<const std::byte> payload = source.page(p);
    if (!copy.empty()) {
      std::memcpy(copy.data(), payload.data(), kPageSize);
      payload = copy;
    }
    try {
      channel.send(h, payload);
    } catch (...) {
      dirty.mark(p);
      throw;
    }
    ++stats.pages;
    ++stats.frames;
    stats.payload_bytes += kPageSize;
    stats.wire_bytes += kPageSize + sizeof(FrameHeader);
  }
  stats.seconds = since(start);
  return stats;
}

}  // namespace lmc::ref

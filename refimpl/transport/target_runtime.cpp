// The target's data plane. Page frames are applied under a shared lock (the
// streams apply distinct pages at once); control requests take the lock
// exclusively, so a request sees every frame applied before it.

#include "refimpl/transport/target_runtime.hpp"

#include <fmt/format.h>
#include <xxhash.h>

#include <fstream>
#include <mutex>
#include <new>
#include <optional>
#include <shared_mutex>
#include <vector>

#include "refimpl/core/compression.hpp"
#include "refimpl/core/delta_codec.hpp"
#include "refimpl/core/page_ops.hpp"
#include "refimpl/memory/dirty_bitmap.hpp"
#include "refimpl/memory/guest_memory.hpp"
#include "refimpl/transport/channel.hpp"

namespace lmc::ref {

struct TargetRuntime::Impl {
  TargetFaults faults;
  mutable std::shared_mutex lock;
  std::optional<GuestMemory> memory;
  /// Pages written since allocate. A zero marker for a page not in it needs
  /// no write: fresh anonymous memory is zero, and leaving it untouched
  /// spares the page fault and the 4 KiB of stores.
  std::optional<DirtyBitmap> written;
  std::vector<std::byte> cpu_state;
  bool resumed = false;

  void check_frame(const FrameHeader& h, std::span<const std::byte> payload) const;
  void apply_pages(const FrameHeader& h, std::span<const std::byte> payload);
  void apply_zero(const FrameHeader& h);
  void apply_compressed(const FrameHeader& h, std::span<const std::byte> payload);
  void apply_delta_page(const FrameHeader& h, std::span<const std::byte> payload);
  void note_written(std::uint64_t first, std::uint64_t count);

  Reply allocate(std::uint64_t pages);
  Reply release();
  Reply resume();
  Reply digest() const;
  Reply dump(const std::vector<std::byte>& path) const;
  Reply need_memory() const;
};

namespace {

Reply refuse(std::string error) {
  return Reply{false, std::move(error), {}};
}

/// The frame arrived but is wrong: the target refuses it (not a broken link).
[[noreturn]] void malformed(const std::string& what) {
  throw TargetRejected("bad frame: " + what);
}

}  // namespace

void TargetRuntime::Impl::check_frame(const FrameHeader& h,
                                      std::span<const std::byte> payload) const {
  if (h.magic != kFrameMagic) malformed("wrong magic");
  if (!memory) throw TargetRejected("page frame before allocate");
  if (h.payload_bytes != payload.size()) malformed("payload size differs from the header");
  if (h.page_count == 0) malformed("no pages");
  if (h.first_page > memory->pages() || h.page_count > memory->pages() - h.first_page) {
    malformed(fmt::format("pages {}..{} outside the guest's {} pages", h.first_page,
                          h.first_page + h.page_count, memory->pages()));
  }
  if (h.checksum != 0 && XXH3_64bits(payload.data(), payload.size()) != h.checksum) {
    throw TargetRejected(fmt::format("checksum mismatch in a frame of {} bytes", payload.size()));
  }
}

void TargetRuntime::Impl::note_written(std::uint64_t first, std::uint64_t count) {
  // Whole words at once: a run of 64 pages costs one atomic OR per word.
  std::uint64_t p = first;
  const std::uint64_t end = first + count;
  while (p < end) {
    const std::uint64_t bit = p % 64;
    const std::uint64_t n = std::min<std::uint64_t>(64 - bit, end - p);
    const std::uint64_t mask = n == 64 ? ~std::uint64_t{0} : ((std::uint64_t{1} << n) - 1) << bit;
    written->mark_bits(p / 64, mask);
    p += n;
  }
}

void TargetRuntime::Impl::apply_pages(const FrameHeader& h, std::span<const std::byte> payload) {
  if (payload.size() != std::size_t{h.page_count} * kPageSize) malformed("raw pages: wrong size");
  copy_pages(memory->page(h.first_page).data(), payload.data(), h.page_count);
  note_written(h.first_page, h.page_count);
}

void TargetRuntime::Impl::apply_zero(const FrameHeader& h) {
  for (std::uint64_t p = h.first_page; p < h.first_page + h.page_count; ++p) {
    if (!written->test(p)) continue;
    auto page = memory->page(p);
    std::fill(page.begin(), page.end(), std::byte{0});
  }
}

void TargetRuntime::Impl::apply_compressed(const FrameHeader& h,
                                           std::span<const std::byte> payload) {
  std::span<std::byte> out{memory->page(h.first_page).data(),
                           std::size_t{h.page_count} * kPageSize};
  if (!decompress(h.codec, payload, out)) malformed("pages do not decompress");
  note_written(h.first_page, h.page_count);
}

void TargetRuntime::Impl::apply_delta_page(const FrameHeader& h,
                                           std::span<const std::byte> payload) {
  if (h.page_count != 1) malformed("a delta frame carries one page");
  if (!apply_delta(memory->page(h.first_page), payload)) malformed("delta does not decode");
  note_written(h.first_page, 1);
}

Reply TargetRuntime::Impl::need_memory() const {
  return memory ? Reply{} : refuse("no memory allocated");
}

Reply TargetRuntime::Impl::allocate(std::uint64_t pages) {
  if (faults.fail_allocation) return refuse("allocation failed (injected)");
  if (memory) return refuse("memory already allocated");
  try {
    memory.emplace(pages);
    written.emplace(pages);
  } catch (const std::bad_alloc&) {
    memory.reset();
    written.reset();
    return refuse(fmt::format("allocation failed: {} pages", pages));
  }
  resumed = false;
  return {};
}

Reply TargetRuntime::Impl::release() {
  memory.reset();
  written.reset();
  cpu_state.clear();
  resumed = false;
  return {};
}

Reply TargetRuntime::Impl::resume() {
  if (faults.fail_resume) return refuse("resume failed (injected)");
  if (!memory) return need_memory();
  resumed = true;
  return Reply{true, {}, digest_to_bytes(memory->digest())};
}

Reply TargetRuntime::Impl::digest() const {
  if (!memory) return need_memory();
  return Reply{true, {}, digest_to_bytes(memory->digest())};
}

Reply TargetRuntime::Impl::dump(const std::vector<std::byte>& path_bytes) const {
  if (!memory) return need_memory();
  const std::string path(reinterpret_cast<const char*>(path_bytes.data()), path_bytes.size());
  std::ofstream out(path, std::ios::binary);
  out.write(reinterpret_cast<const char*>(memory->data()),
            static_cast<std::streamsize>(memory->bytes()));
  if (!out) return refuse("cannot write the memory to " + path);
  return {};
}

void TargetRuntime::inject(TargetFaults faults) {
  impl_->faults = faults;
}

TargetRuntime::TargetRuntime(TargetFaults faults) : impl_(std::make_unique<Impl>()) {
  impl_->faults = faults;
}

TargetRuntime::~TargetRuntime() = default;

void TargetRuntime::apply(const FrameHeader& header, std::span<const std::byte> payload) {
  std::shared_lock guard(impl_->lock);
  impl_->check_frame(header, payload);
  switch (header.kind) {
    case FrameKind::pages:
      return impl_->apply_pages(header, payload);
    case FrameKind::zero_pages:
      if (!payload.empty()) malformed("zero pages with a payload");
      return impl_->apply_zero(header);
    case FrameKind::compressed_pages:
      return impl_->apply_compressed(header, payload);
    case FrameKind::delta_page:
      return impl_->apply_delta_page(header, payload);
    default:
      malformed(fmt::format("kind {} is not a page frame", static_cast<int>(header.kind)));
  }
}

Reply TargetRuntime::handle(const ControlRequest& request) {
  std::unique_lock guard(impl_->lock);
  switch (request.op) {
    case Control::allocate:
      return impl_->allocate(request.argument);
    case Control::cpu_state:
      if (!impl_->memory) return impl_->need_memory();
      impl_->cpu_state = request.data;
      return {};
    case Control::resume:
      return impl_->resume();
    case Control::release:
      return impl_->release();
    case Control::digest:
      return impl_->digest();
    case Control::dump:
      return impl_->dump(request.data);
    case Control::shutdown:
      return {};  // the serve loop of a target process ends on it; nothing held here
  }
  return refuse(fmt::format("unknown control request {}", static_cast<int>(request.op)));
}

const GuestMemory* TargetRuntime::memory() const {
  std::shared_lock guard(impl_->lock);
  return impl_->memory ? &*impl_->memory : nullptr;
}

GuestMemory* TargetRuntime::memory() {
  std::shared_lock guard(impl_->lock);
  return impl_->memory ? &*impl_->memory : nullptr;
}

bool TargetRuntime::resumed() const {
  std::shared_lock guard(impl_->lock);
  return impl_->resumed;
}

std::span<const std::byte> TargetRuntime::cpu_state() const {
  std::shared_lock guard(impl_->lock);
  return impl_->cpu_state;
}

}  // namespace lmc::ref

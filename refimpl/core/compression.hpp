#pragma once
// Page compression with zstd or lz4 (Debian's libraries). The sender
// compresses a run of pages as one block; the target decompresses it straight
// into the guest's memory.

#include <cstddef>
#include <memory>
#include <optional>
#include <span>

#include "refimpl/core/frame.hpp"

namespace lmc::ref {

/// One per stream: zstd keeps its context between calls.
class Compressor {
 public:
  explicit Compressor(Codec codec);
  ~Compressor();
  Compressor(const Compressor&) = delete;
  Compressor& operator=(const Compressor&) = delete;

  Codec codec() const { return codec_; }
  /// The most bytes compress() may write for `bytes` bytes of input.
  static std::size_t bound(Codec codec, std::size_t bytes);
  /// Compresses `in` into `out`; nullopt when it does not get smaller (the
  /// pages then go raw).
  std::optional<std::size_t> compress(std::span<const std::byte> in, std::span<std::byte> out);

 private:
  struct Zstd;
  Codec codec_;
  std::unique_ptr<Zstd> zstd_;
};

/// Decompresses `in` into `out`; false unless it yields exactly out.size()
/// bytes (a malformed frame).
bool decompress(Codec codec, std::span<const std::byte> in, std::span<std::byte> out);

}  // namespace lmc::ref

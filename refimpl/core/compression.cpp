#include "refimpl/core/compression.hpp"

#include <lz4.h>
#include <zstd.h>

#include <limits>
#include <new>

namespace lmc::ref {
namespace {

// Level 1: the loop must keep up with a 10 Gbit/s link on one core per stream.
constexpr int kZstdLevel = 1;

struct DCtxDeleter {
  void operator()(ZSTD_DCtx* c) const { ZSTD_freeDCtx(c); }
};

ZSTD_DCtx* thread_dctx() {
  thread_local std::unique_ptr<ZSTD_DCtx, DCtxDeleter> ctx(ZSTD_createDCtx());
  return ctx.get();
}

}  // namespace

struct Compressor::Zstd {
  ZSTD_CCtx* ctx = ZSTD_createCCtx();
  ~Zstd() { ZSTD_freeCCtx(ctx); }
};

Compressor::Compressor(Codec codec) : codec_(codec) {
  if (codec == Codec::zstd) {
    zstd_ = std::make_unique<Zstd>();
    if (zstd_->ctx == nullptr) throw std::bad_alloc();
  }
}

Compressor::~Compressor() = default;

std::size_t Compressor::bound(Codec codec, std::size_t bytes) {
  switch (codec) {
    case Codec::lz4:
      return static_cast<std::size_t>(LZ4_compressBound(static_cast<int>(bytes)));
    case Codec::zstd:
      return ZSTD_compressBound(bytes);
    case Codec::none:
      break;
  }
  return bytes;
}

std::optional<std::size_t> Compressor::compress(std::span<const std::byte> in,
                                                std::span<std::byte> out) {
  std::size_t size = 0;
  if (codec_ == Codec::lz4) {
    const int n = LZ4_compress_default(reinterpret_cast<const char*>(in.data()),
                                       reinterpret_cast<char*>(out.data()),
                                       static_cast<int>(in.size()), static_cast<int>(out.size()));
    if (n <= 0) return std::nullopt;
    size = static_cast<std::size_t>(n);
  } else if (codec_ == Codec::zstd) {
    size = ZSTD_compressCCtx(zstd_->ctx, out.data(), out.size(), in.data(), in.size(), kZstdLevel);
    if (ZSTD_isError(size)) return std::nullopt;
  } else {
    return std::nullopt;
  }
  if (size >= in.size()) return std::nullopt;
  return size;
}

bool decompress(Codec codec, std::span<const std::byte> in, std::span<std::byte> out) {
  if (codec == Codec::lz4) {
    if (in.size() > static_cast<std::size_t>(std::numeric_limits<int>::max()) ||
        out.size() > static_cast<std::size_t>(std::numeric_limits<int>::max())) {
      return false;
    }
    const int n = LZ4_decompress_safe(reinterpret_cast<const char*>(in.data()),
                                      reinterpret_cast<char*>(out.data()),
                                      static_cast<int>(in.size()), static_cast<int>(out.size()));
    return n >= 0 && static_cast<std::size_t>(n) == out.size();
  }
  if (codec == Codec::zstd) {
    ZSTD_DCtx* ctx = thread_dctx();
    if (ctx == nullptr) return false;
    const std::size_t n = ZSTD_decompressDCtx(ctx, out.data(), out.size(), in.data(), in.size());
    return !ZSTD_isError(n) && n == out.size();
  }
  return false;
}

}  // namespace lmc::ref

#pragma once
// An append-only sequence in fixed-size chunks: elements never move (no
// copy of the whole store when it grows, unlike std::vector) and indexing is
// a shift and a mask (std::deque divides by a size that is not a power of
// two).

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <vector>

#include "checker/engine/checkpoint.hpp"

namespace lmc {

template <class T, std::size_t kChunkBits = 12>
class ChunkedVector {
 public:
  static constexpr std::size_t kChunkSize = std::size_t{1} << kChunkBits;

  void push_back(const T& value) {
    if ((size_ & (kChunkSize - 1)) == 0) {
      chunks_.emplace_back();
      chunks_.back().reserve(kChunkSize);
    }
    chunks_.back().push_back(value);
    ++size_;
  }
  const T& operator[](std::size_t index) const {
    return chunks_[index >> kChunkBits][index & (kChunkSize - 1)];
  }
  std::size_t size() const { return size_; }
  std::size_t bytes() const {
    return chunks_.size() * kChunkSize * sizeof(T) + chunks_.capacity() * sizeof(std::vector<T>);
  }
  /// Checkpoints: the elements, chunk by chunk (T must be trivially copyable).
  void save(BinaryWriter& out) const {
    out.pod(static_cast<std::uint64_t>(size_));
    for (const auto& chunk : chunks_) out.array(chunk.data(), chunk.size());
  }
  void load(BinaryReader& in) {
    const std::size_t n = in.count(sizeof(T));
    chunks_.clear();
    size_ = 0;
    std::vector<T> block;
    for (std::size_t done = 0; done < n;) {
      block.resize(std::min(kChunkSize, n - done));
      in.array(block.data(), block.size());
      for (const auto& value : block) push_back(value);
      done += block.size();
    }
  }

 private:
  std::vector<std::vector<T>> chunks_;
  std::size_t size_ = 0;
};

/// The same for records of `stride` 64-bit words whose stride is known only
/// at run time (packed states): a record is a pointer to its words.
template <std::size_t kChunkBits = 12>
class WordArena {
 public:
  static constexpr std::size_t kChunkSize = std::size_t{1} << kChunkBits;

  WordArena() = default;
  explicit WordArena(std::size_t stride) : stride_(stride) {}

  void push_back(const std::uint64_t* words) {
    if ((size_ & (kChunkSize - 1)) == 0) {
      // Not value-initialised: every record is written before it is read.
      chunks_.emplace_back(new std::uint64_t[kChunkSize * stride_]);
    }
    // A loop, not memcpy: a record is a few words, shorter than a call.
    std::uint64_t* to = chunks_.back().get() + (size_ & (kChunkSize - 1)) * stride_;
    for (std::size_t w = 0; w < stride_; ++w) to[w] = words[w];
    ++size_;
  }
  const std::uint64_t* operator[](std::size_t index) const {
    return chunks_[index >> kChunkBits].get() + (index & (kChunkSize - 1)) * stride_;
  }
  bool equal(std::size_t index, const std::uint64_t* words) const {
    const std::uint64_t* stored = (*this)[index];
    std::uint64_t diff = 0;
    for (std::size_t w = 0; w < stride_; ++w) diff |= stored[w] ^ words[w];
    return diff == 0;
  }
  std::size_t size() const { return size_; }
  std::size_t stride() const { return stride_; }
  void save(BinaryWriter& out) const {
    out.pod(static_cast<std::uint64_t>(stride_));
    out.pod(static_cast<std::uint64_t>(size_));
    for (std::size_t c = 0; c < chunks_.size(); ++c) {
      const std::size_t records = std::min(kChunkSize, size_ - c * kChunkSize);
      out.array(chunks_[c].get(), records * stride_);
    }
  }
  void load(BinaryReader& in) {
    std::uint64_t stride = 0;
    in.pod(stride);
    if (stride != stride_) in.fail("the packed states have another width");
    const std::size_t n = in.count(stride_ * sizeof(std::uint64_t));
    chunks_.clear();
    size_ = 0;
    std::vector<std::uint64_t> record(stride_);
    for (std::size_t i = 0; i < n; ++i) {
      in.array(record.data(), stride_);
      push_back(record.data());
    }
  }
  std::size_t bytes() const {
    return chunks_.size() * kChunkSize * stride_ * sizeof(std::uint64_t) +
           chunks_.capacity() * sizeof(chunks_[0]);
  }

 private:
  std::vector<std::unique_ptr<std::uint64_t[]>> chunks_;
  std::size_t stride_ = 0;
  std::size_t size_ = 0;
};

/// A growable array of words whose appended space is left for the caller
/// to write (std::vector::resize would zero-fill it first): the search
/// appends a record per transition.
class WordBuffer {
 public:
  std::uint64_t* append(std::size_t words) {
    if (size_ + words > capacity_) grow(size_ + words);
    std::uint64_t* at = data_.get() + size_;
    size_ += words;
    return at;
  }
  const std::uint64_t* data() const { return data_.get(); }
  std::size_t size() const { return size_; }
  void clear() { size_ = 0; }

 private:
  void grow(std::size_t needed) {
    const std::size_t capacity = std::max({needed, 2 * capacity_, std::size_t{64}});
    std::unique_ptr<std::uint64_t[]> bigger(new std::uint64_t[capacity]);
    if (size_ > 0) std::memcpy(bigger.get(), data_.get(), size_ * sizeof(std::uint64_t));
    data_ = std::move(bigger);
    capacity_ = capacity;
  }

  std::unique_ptr<std::uint64_t[]> data_;
  std::size_t size_ = 0;
  std::size_t capacity_ = 0;
};

}  // namespace lmc

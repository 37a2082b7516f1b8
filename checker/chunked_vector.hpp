#pragma once
// An append-only sequence in fixed-size chunks: elements never move (no
// copy of the whole store when it grows, unlike std::vector) and indexing is
// a shift and a mask (std::deque divides by a size that is not a power of
// two).

#include <cstddef>
#include <vector>

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

 private:
  std::vector<std::vector<T>> chunks_;
  std::size_t size_ = 0;
};

}  // namespace lmc

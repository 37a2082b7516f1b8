#pragma once
// A lossless bit-packed encoding of a state made of plain bytes, for the
// checker's packed storage. The model lists the bytes that can vary and how
// many bits each needs once a base is subtracted (so that a 0xFF "none"
// marker packs as 0); every other byte keeps its value in a template state.
// Fields never straddle a 64-bit word, so packing is a shift and an OR per
// field. A state that does not fit (a value wider than its field, or a
// byte outside the layout that differs from the template) stops the program:
// packing it anyway could merge two distinct states without a trace.

#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <type_traits>
#include <vector>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace lmc {

/// Bits needed for the values 0..max.
constexpr unsigned bits_for(unsigned max) {
  return static_cast<unsigned>(std::bit_width(max));
}

template <class State>
class BitLayout {
  static_assert(std::is_trivially_copyable_v<State>);
  static_assert(std::endian::native == std::endian::little, "fields are split into bytes");

 public:
  BitLayout() = default;
  /// `fixed` gives the value of every byte the layout does not list.
  explicit BitLayout(const State& fixed) : fixed_(fixed) { covered_.assign(sizeof(State), 0); }

  /// Lists the field `member` of the template (a reference into fixed()),
  /// needing `bits` bits after subtracting `base` (modulo 256 per byte).
  template <class T>
  void add(const T& member, unsigned bits, std::uint8_t base = 0) {
    static_assert(std::is_integral_v<T> && sizeof(T) <= 2);
    auto offset = static_cast<std::size_t>(reinterpret_cast<const unsigned char*>(&member) -
                                           reinterpret_cast<const unsigned char*>(&fixed_));
    for (std::size_t byte = 0; byte < sizeof(T); ++byte) {
      const unsigned width = bits > 8 * byte ? std::min(8u, bits - 8 * unsigned(byte)) : 0;
      add_byte(offset + byte, width, byte == 0 ? base : 0);
    }
  }

  const State& fixed() const { return fixed_; }

  /// Call once after the last add: places the fields in words.
  void finish() {
    // Fields go into words in order; word w holds fields [word_end_[w-1], word_end_[w]).
    word_end_.clear();
    unsigned used = 0;
    for (std::size_t i = 0; i < fields_.size(); ++i) {
      auto& f = fields_[i];
      if (word_end_.empty() || used + f.bits > 64) {
        word_end_.push_back(i);
        used = 0;
      }
      f.shift = static_cast<std::uint8_t>(used);
      f.word = static_cast<std::uint16_t>(word_end_.size() - 1);
      used += f.bits;
      word_end_.back() = i + 1;
    }
    words_ = word_end_.size();
    build_byte_slots();
    build_frozen_checks();
  }

  std::size_t words() const { return words_; }
  std::size_t bits() const {
    std::size_t total = 0;
    for (const auto& f : fields_) total += f.bits;
    return total;
  }

  void pack(const State& state, std::uint64_t* out) const {
    const auto* bytes = reinterpret_cast<const unsigned char*>(&state);
    std::uint64_t overflow = 0;
    std::size_t f = 0;
    for (std::size_t w = 0; w < words_; ++w) {
      // Built in a register: an OR into out[w] per field would chain each
      // field's store to the next field's load.
      std::uint64_t word = 0;
      for (; f < word_end_[w]; ++f) {
        const auto& field = fields_[f];
        const std::uint64_t value = static_cast<std::uint8_t>(bytes[field.offset] - field.base);
        overflow |= value >> field.bits;
        word |= value << field.shift;
      }
      out[w] = word;
    }
    for (const auto& check : frozen_) {
      std::uint64_t word;
      std::memcpy(&word, bytes + check.offset, sizeof word);
      overflow |= (word ^ check.value) & check.mask;
    }
    if (overflow != 0) does_not_fit();
  }

  /// pack(after), given before_words == pack(before): a successor differs
  /// from its parent in a few bytes, so only the fields of the bytes that
  /// changed are rewritten (found 16 bytes at a time).
  void repack(const State& before, const std::uint64_t* before_words, const State& after,
              std::uint64_t* out) const {
    copy_words(before_words, out);
    const auto* a = reinterpret_cast<const unsigned char*>(&before);
    const auto* b = reinterpret_cast<const unsigned char*>(&after);
    const ByteSlot* slots = byte_slots_.data();
    std::uint64_t overflow = 0;
    for (std::size_t start = 0; start < sizeof(State); start += 16) {
      // The last block overlaps the one before: a byte seen twice is
      // rewritten with the same value.
      const std::size_t offset = std::min(start, sizeof(State) - 16);
      for (unsigned changed = changed_bytes(a + offset, b + offset); changed != 0;
           changed &= changed - 1) {
        const std::size_t at = offset + static_cast<unsigned>(std::countr_zero(changed));
        const ByteSlot slot = slots[at];
        const std::uint64_t value = static_cast<std::uint8_t>(b[at] - slot.base);
        // A byte outside the layout must never change.
        overflow |= (value & ~std::uint64_t{slot.mask}) | slot.outside;
        const std::uint64_t mask = std::uint64_t{slot.mask} << slot.shift;
        out[slot.word] = (out[slot.word] & ~mask) | (value << slot.shift);
      }
    }
    if (overflow != 0) does_not_fit();
  }

  void unpack(const std::uint64_t* in, State& state) const {
    state = fixed_;
    auto* bytes = reinterpret_cast<unsigned char*>(&state);
    // Local copies: the byte stores below may alias anything, so members
    // read through `this` would be reloaded after every field.
    const UnpackOp* op = unpack_ops_.data();
    const std::size_t* word_end = word_end_.data();
    const std::size_t words = words_;
    const UnpackOp* first = op;
    for (std::size_t w = 0; w < words; ++w) {
      const std::uint64_t word = in[w];
      const UnpackOp* end = first + word_end[w];
      // Two fields a round: the loop's own count and branch were a quarter
      // of the instructions per field.
      for (; end - op >= 2; op += 2) {
        put(bytes, op[0], word);
        put(bytes, op[1], word);
      }
      if (op != end) put(bytes, *op++, word);
    }
  }

  /// unpack(in, state), given state == unpack(prev_in): only the fields
  /// whose bits differ are rewritten. The states a search unpacks one after
  /// another share most of their fields.
  void unpack_over(const std::uint64_t* prev_in, const std::uint64_t* in, State& state) const {
    auto* bytes = reinterpret_cast<unsigned char*>(&state);
    const UnpackOp* ops = unpack_ops_.data();
    const std::uint16_t* field_of_top = field_of_top_.data();
    const WordFields* fields = word_fields_.data();
    const std::size_t words = words_;
    for (std::size_t w = 0; w < words; ++w) {
      const std::uint64_t word = in[w];
      const std::uint64_t diff = word ^ prev_in[w];
      // The top bit of every field with a changed bit, all at once: adding
      // the field's other bits to its changed ones carries into its top bit
      // exactly when one of them changed (and never beyond the field). So
      // the rewrites below do not wait on each other.
      const auto& f = fields[w];
      std::uint64_t changed = (((diff & f.low) + f.low) | diff) & f.top;
      for (; changed != 0; changed &= changed - 1) {
        put(bytes, ops[field_of_top[64 * w + std::countr_zero(changed)]], word);
      }
    }
  }

 private:
  struct Field {
    std::uint16_t offset;
    std::uint8_t bits;
    std::uint8_t base;
    std::uint8_t shift = 0;
    std::uint16_t word = 0;
  };
  /// One field as unpack reads it (mask: the low `bits` bits).
  struct UnpackOp {
    std::uint16_t offset;
    std::uint8_t shift;
    std::uint8_t mask;
    std::uint8_t base;
  };
  /// Per byte of State, where repack writes it; `outside` is 1 for a byte
  /// outside the layout (which must never change).
  struct ByteSlot {
    std::uint8_t word = 0;
    std::uint8_t shift = 0;
    std::uint8_t mask = 0;
    std::uint8_t base = 0;
    std::uint8_t outside = 1;
  };
  /// Bytes outside the layout, compared with the template a word at a time.
  struct FrozenCheck {
    std::size_t offset;
    std::uint64_t value;
    std::uint64_t mask;
  };

  /// Bit i set when byte i of the 16 at `a` and `b` differs. Every
  /// successor is compared with its parent this way, so SSE2 (part of
  /// x86-64) compares the 16 bytes at once where available.
  static unsigned changed_bytes(const unsigned char* a, const unsigned char* b) {
    static_assert(sizeof(State) >= 16);
#if defined(__SSE2__)
    const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(a));
    const __m128i y = _mm_loadu_si128(reinterpret_cast<const __m128i*>(b));
    return ~static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(x, y))) & 0xFFFFu;
#else
    std::uint64_t x[2], y[2];
    std::memcpy(x, a, sizeof x);
    std::memcpy(y, b, sizeof y);
    return nonzero_bytes(x[0] ^ y[0]) | nonzero_bytes(x[1] ^ y[1]) << 8;
#endif
  }
  /// Bit i set when byte i of `word` is not zero.
  static unsigned nonzero_bytes(std::uint64_t word) {
    unsigned mask = 0;
    for (unsigned i = 0; i < 8; ++i) mask |= unsigned((word >> (8 * i) & 0xFF) != 0) << i;
    return mask;
  }

  /// words_ words from `from` to `to`, two a round (a plain loop of a
  /// run-time length cost as much again in counting and branching).
  void copy_words(const std::uint64_t* from, std::uint64_t* to) const {
    std::size_t w = 0;
    for (; w + 2 <= words_; w += 2) {
      to[w] = from[w];
      to[w + 1] = from[w + 1];
    }
    if (w < words_) to[w] = from[w];
  }

  static void put(unsigned char* bytes, const UnpackOp& op, std::uint64_t word) {
    bytes[op.offset] = static_cast<unsigned char>(((word >> op.shift) & op.mask) + op.base);
  }

  static std::uint8_t low_bits(unsigned bits) {
    return static_cast<std::uint8_t>((1u << bits) - 1);
  }

  void build_byte_slots() {
    static_assert(sizeof(State) <= 0xFFFF);
    unpack_ops_.clear();
    byte_slots_.assign(sizeof(State), ByteSlot{});
    field_of_top_.assign(64 * words_, 0);
    word_fields_.assign(words_, WordFields{});
    for (std::size_t i = 0; i < fields_.size(); ++i) {
      const auto& f = fields_[i];
      const auto mask = low_bits(f.bits);
      unpack_ops_.push_back({f.offset, f.shift, mask, f.base});
      byte_slots_[f.offset] = {static_cast<std::uint8_t>(f.word), f.shift, mask, f.base, 0};
      if (f.bits == 0) continue;
      const unsigned top = f.shift + f.bits - 1u;
      field_of_top_[64 * f.word + top] = static_cast<std::uint16_t>(i);
      word_fields_[f.word].top |= std::uint64_t{1} << top;
      word_fields_[f.word].low |= (std::uint64_t{mask} >> 1) << f.shift;
    }
  }

  void add_byte(std::size_t offset, unsigned bits, std::uint8_t base) {
    covered_[offset] = 1;
    if (bits == 0 && base == 0) {
      covered_[offset] = 0;  // always equal to the template: checked as frozen
      return;
    }
    fields_.push_back({static_cast<std::uint16_t>(offset), static_cast<std::uint8_t>(bits), base});
  }

  void build_frozen_checks() {
    static_assert(sizeof(State) >= 8);
    const auto* bytes = reinterpret_cast<const unsigned char*>(&fixed_);
    for (std::size_t start = 0; start < sizeof(State); start += 8) {
      const std::size_t offset = std::min(start, sizeof(State) - 8);  // the last one overlaps
      std::uint64_t mask = 0;
      for (std::size_t i = 0; i < 8; ++i) {
        if (!covered_[offset + i]) mask |= std::uint64_t{0xFF} << (8 * i);
      }
      if (mask == 0) continue;
      std::uint64_t value;
      std::memcpy(&value, bytes + offset, sizeof value);
      frozen_.push_back({offset, value & mask, mask});
    }
  }

  [[noreturn]] static void does_not_fit() {
    std::fputs("lmc: internal error: a state does not fit the model's packed layout\n", stderr);
    std::abort();
  }

  State fixed_{};
  std::vector<char> covered_;
  std::vector<Field> fields_;
  std::vector<FrozenCheck> frozen_;
  std::vector<std::size_t> word_end_;
  std::vector<UnpackOp> unpack_ops_;
  std::vector<ByteSlot> byte_slots_;
  /// Per word, its fields' top bits and their other bits (unpack_over).
  struct WordFields {
    std::uint64_t top = 0;
    std::uint64_t low = 0;
  };
  std::vector<WordFields> word_fields_;
  /// Per bit of the packed words that is a field's top bit: that field.
  std::vector<std::uint16_t> field_of_top_;
  std::size_t words_ = 0;
};

}  // namespace lmc

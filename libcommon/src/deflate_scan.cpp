// find_final_block: a deflate decoder (RFC 1951) that only follows the codes.
// Literals, lengths and distances are decoded and dropped; nothing is copied,
// no window is kept. Codes of up to 12 bits (nearly all of them) are found in
// one table look-up; longer ones are found bit by bit, in canonical order.
// A stream this misreads cannot lose data: the gzip writer's caller inflates
// the whole file again before it trusts it (compress_in_place).
#include "deflate_scan.hpp"

#include <ops/error.hpp>

#include <array>
#include <cstdint>
#include <cstring>
#include <fmt/format.h>

namespace ops::detail {

namespace {

[[noreturn]] void fail_scan(std::string_view problem) { fail(fmt::format("not a deflate stream: {}", problem)); }

constexpr unsigned kMaxBits = 15;   // the longest deflate code
constexpr unsigned kFastBits = 12;  // codes found in one look-up
constexpr unsigned kLitLenSymbols = 288;
constexpr unsigned kDistSymbols = 32;

// Extra bits after each length symbol (257-285) and distance symbol (0-29).
constexpr std::array<std::uint8_t, 29> kLengthExtra = {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2,
                                                      2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0};
constexpr std::array<std::uint8_t, 30> kDistExtra = {0, 0, 0, 0, 1, 1, 2, 2,  3,  3,  4,  4,  5,  5,  6,
                                                    6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13};

// The stream's bits, least significant first, as deflate packs them. Past
// the end it reads zeros; the caller asks overrun() before trusting a result.
class BitReader {
 public:
  explicit BitReader(std::string_view s) : data_(reinterpret_cast<const unsigned char*>(s.data())), size_(s.size()) {}

  // At least 56 bits in the buffer.
  void refill() {
    if (next_ + 8 <= size_) {
      std::uint64_t word;
      std::memcpy(&word, data_ + next_, 8);  // little-endian, as deflate's bit order wants
      buffer_ |= word << count_;
      next_ += (63 - count_) >> 3;
      count_ |= 56;
      return;
    }
    // Zeros past the end; a scan that has read a few bytes of them stops
    // (zero bits may decode to literals forever).
    if (next_ > size_ + 16) fail_scan("cut short");
    while (count_ <= 56) {
      buffer_ |= std::uint64_t{next_ < size_ ? data_[next_] : 0u} << count_;
      ++next_;
      count_ += 8;
    }
  }
  unsigned available() const noexcept { return count_; }
  std::uint64_t peek() const noexcept { return buffer_; }
  void drop(unsigned n) noexcept {
    buffer_ >>= n;
    count_ -= n;
  }
  unsigned take(unsigned n) noexcept {  // n <= 32, after refill()
    const auto v = static_cast<unsigned>(buffer_ & ((std::uint64_t{1} << n) - 1));
    drop(n);
    return v;
  }
  std::size_t position() const noexcept { return next_ * 8 - count_; }  // in bits
  bool overrun() const noexcept { return position() > size_ * 8; }

  // A stored block: up to the next byte boundary, then LEN, NLEN and LEN bytes.
  void skip_stored() {
    const std::size_t byte = (position() + 7) / 8;
    if (byte + 4 > size_) fail_scan("a stored block is cut short");
    const unsigned len = data_[byte] | data_[byte + 1] << 8;
    const unsigned nlen = data_[byte + 2] | data_[byte + 3] << 8;
    if ((len ^ 0xffffu) != nlen) fail_scan("a stored block's length does not match its complement");
    if (byte + 4 + len > size_) fail_scan("a stored block is cut short");
    next_ = byte + 4 + len;
    buffer_ = 0;
    count_ = 0;
  }

 private:
  const unsigned char* data_;
  std::size_t size_;
  std::size_t next_ = 0;  // the next byte to load into buffer_
  std::uint64_t buffer_ = 0;
  unsigned count_ = 0;  // bits in buffer_
};

// A canonical Huffman code, as a block's code lengths define it.
class Huffman {
 public:
  // lengths[s]: the code length of symbol s, 0 if unused. An over-subscribed
  // set of lengths is no code; an incomplete one is allowed (a block with one
  // distance code), its unused codes fail when met.
  void build(const std::uint8_t* lengths, unsigned symbols) {
    std::array<std::uint16_t, kMaxBits + 1> count{};
    for (unsigned s = 0; s < symbols; ++s) ++count[lengths[s]];
    count[0] = 0;
    int left = 1;
    for (unsigned len = 1; len <= kMaxBits; ++len) {
      left = (left << 1) - count[len];
      if (left < 0) fail_scan("over-subscribed Huffman code lengths");
    }
    std::array<std::uint16_t, kMaxBits + 2> offset{};
    for (unsigned len = 1; len <= kMaxBits; ++len)
      offset[len + 1] = static_cast<std::uint16_t>(offset[len] + count[len]);
    count_ = count;
    // Symbols in code order: by length, then by value (canonical codes).
    for (unsigned s = 0; s < symbols; ++s)
      if (lengths[s] != 0) sorted_[offset[lengths[s]]++] = static_cast<std::uint16_t>(s);
    fast_.fill(0);
    unsigned code = 0;  // the next code of the current length, most significant bit first
    std::size_t index = 0;
    for (unsigned len = 1; len <= kFastBits; ++len, code <<= 1)
      for (unsigned n = 0; n < count[len]; ++n, ++code) {
        const unsigned s = sorted_[index++];
        unsigned reversed = 0;  // as it comes off the stream, first bit lowest
        for (unsigned b = 0; b < len; ++b) reversed |= ((code >> b) & 1u) << (len - 1 - b);
        for (unsigned i = reversed; i < (1u << kFastBits); i += 1u << len)
          fast_[i] = static_cast<std::uint16_t>(s << 4 | len);
      }
  }

  // The next symbol; at least kMaxBits bits must be in the reader.
  unsigned decode(BitReader& in) const {
    const std::uint64_t bits = in.peek();
    if (const std::uint16_t entry = fast_[bits & ((1u << kFastBits) - 1)]; entry != 0) {
      in.drop(entry & 15u);
      return entry >> 4;
    }
    int code = 0, first = 0, index = 0;
    for (unsigned len = 1; len <= kMaxBits; ++len) {
      code |= static_cast<int>((bits >> (len - 1)) & 1u);
      const int n = count_[len];
      if (code - first < n) {
        in.drop(len);
        return sorted_[static_cast<std::size_t>(index + code - first)];
      }
      index += n;
      first = (first + n) << 1;
      code <<= 1;
    }
    fail_scan("a code that the block's Huffman table does not have");
  }

 private:
  std::array<std::uint16_t, 1u << kFastBits> fast_{};  // symbol << 4 | length; 0: look further
  std::array<std::uint16_t, kMaxBits + 1> count_{};
  std::array<std::uint16_t, kLitLenSymbols> sorted_{};  // symbols by code
};

struct Codes {
  Huffman litlen;
  Huffman dist;
};

const Codes& fixed_codes() {
  static const Codes codes = [] {
    Codes c;
    std::array<std::uint8_t, kLitLenSymbols> lengths{};
    for (unsigned s = 0; s < kLitLenSymbols; ++s) lengths[s] = s < 144 ? 8 : s < 256 ? 9 : s < 280 ? 7 : 8;
    c.litlen.build(lengths.data(), kLitLenSymbols);
    std::array<std::uint8_t, kDistSymbols> dist;
    dist.fill(5);
    c.dist.build(dist.data(), kDistSymbols);
    return c;
  }();
  return codes;
}

// A dynamic block's header: the code-length code, then the code lengths.
void read_dynamic(BitReader& in, Codes& codes) {
  in.refill();
  const unsigned hlit = in.take(5) + 257;
  const unsigned hdist = in.take(5) + 1;
  const unsigned hclen = in.take(4) + 4;
  if (hlit > 286 || hdist > 30) fail_scan("too many length or distance codes");
  static constexpr std::uint8_t order[19] = {16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15};
  std::array<std::uint8_t, 19> cl_lengths{};
  for (unsigned i = 0; i < hclen; ++i) {
    in.refill();
    cl_lengths[order[i]] = static_cast<std::uint8_t>(in.take(3));
  }
  Huffman cl;
  cl.build(cl_lengths.data(), 19);
  std::array<std::uint8_t, 286 + 30> lengths{};
  for (unsigned i = 0; i < hlit + hdist;) {
    in.refill();
    const unsigned sym = cl.decode(in);
    if (sym < 16) {
      lengths[i++] = static_cast<std::uint8_t>(sym);
      continue;
    }
    if (sym == 16 && i == 0) fail_scan("a repeated code length with none before it");
    const std::uint8_t value = sym == 16 ? lengths[i - 1] : 0;
    const unsigned repeat = sym == 16 ? 3 + in.take(2) : sym == 17 ? 3 + in.take(3) : 11 + in.take(7);
    if (i + repeat > hlit + hdist) fail_scan("code lengths beyond the block's codes");
    for (unsigned r = 0; r < repeat; ++r) lengths[i++] = value;
  }
  if (in.overrun()) fail_scan("cut short in a block header");
  if (lengths[256] == 0) fail_scan("a block without an end-of-block code");
  codes.litlen.build(lengths.data(), hlit);
  codes.dist.build(lengths.data() + hlit, hdist);
}

// A Huffman block's symbols up to its end-of-block code.
void skip_symbols(BitReader& reader, const Codes& codes) {
  // A local copy the compiler keeps in registers; the reader's own state is
  // stored back at the end (about a third faster than through the reference).
  BitReader in = reader;
  for (;;) {
    in.refill();
    unsigned sym = codes.litlen.decode(in);
    while (sym < 256 && in.available() >= kMaxBits) sym = codes.litlen.decode(in);  // a run of literals
    if (sym < 256) continue;
    if (sym == 256) {
      if (in.overrun()) fail_scan("cut short inside a block");
      reader = in;
      return;
    }
    if (sym - 257 >= kLengthExtra.size()) fail_scan("a length symbol deflate does not have");
    in.refill();  // the literals may have used all but the length code's bits
    in.drop(kLengthExtra[sym - 257]);
    const unsigned dist = codes.dist.decode(in);
    if (dist >= kDistExtra.size()) fail_scan("a distance symbol deflate does not have");
    in.drop(kDistExtra[dist]);
  }
}

}  // namespace

DeflateEnd find_final_block(std::string_view stream) {
  BitReader in(stream);
  Codes dynamic;
  for (;;) {
    const std::size_t header = in.position();
    in.refill();
    const bool final = in.take(1) != 0;
    switch (in.take(2)) {
      case 0: in.skip_stored(); break;
      case 1: skip_symbols(in, fixed_codes()); break;
      case 2:
        read_dynamic(in, dynamic);
        skip_symbols(in, dynamic);
        break;
      default: fail_scan("a block of the reserved type 3");
    }
    if (in.overrun()) fail_scan("cut short");
    if (final) {
      const std::size_t end = in.position();
      if ((end + 7) / 8 != stream.size()) fail_scan("bytes after the final block");
      return {header, end};
    }
  }
}

}  // namespace ops::detail

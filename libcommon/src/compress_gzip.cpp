// gzip compression on several threads, the way pigz does it: the input is cut
// into blocks, each block is raw-deflated on a worker, primed with the last
// 32 KiB of the block before it (so the ratio stays close to gzip's) and ended
// with a sync flush (so the pieces join on a byte boundary); the producer
// writes them in order between one gzip header and one trailer whose CRC-32 is
// combined from the blocks'. The output is one standard gzip member and does
// not depend on the number of threads.
#include "compress_codec.hpp"

#include <ops/error.hpp>

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>
#include <string>
#include <thread>
#include <vector>
#include <zlib.h>

namespace ops::detail {

namespace {

constexpr std::size_t block_size = 128 * 1024;
constexpr std::size_t window_size = 32 * 1024;
// Blocks in flight per worker: enough to keep the workers busy while the
// producer waits on the oldest, few enough to bound memory (~256 KiB each).
constexpr std::size_t blocks_per_worker = 4;

struct Block {
  std::string in;
  std::string dictionary;  // the previous block's last 32 KiB, empty for the first
  std::string out;
  std::uint32_t crc = 0;
  bool last = false;
  bool done = false;  // under the encoder's mutex once the block is queued
  std::exception_ptr error;
};

const Bytef* bytes(std::string_view s) { return reinterpret_cast<const Bytef*>(s.data()); }

// One raw deflate stream, reset for each block. Not movable: zlib's state
// points back at the z_stream.
class Deflater {
 public:
  explicit Deflater(int level) {
    int rc = deflateInit2(&z_, level, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY);
    if (rc != Z_OK) fail(std::string("gzip compression failed: ") + zError(rc));
  }
  ~Deflater() { deflateEnd(&z_); }
  Deflater(const Deflater&) = delete;
  Deflater& operator=(const Deflater&) = delete;

  // Fills block.out and block.crc; errors are kept in block.error for the producer.
  void compress(Block& block) noexcept {
    try {
      deflate_block(block);
    } catch (...) {
      block.error = std::current_exception();
    }
  }

 private:
  void check(int rc) {
    if (rc != Z_OK) fail(std::string("gzip compression failed: ") + (z_.msg ? z_.msg : zError(rc)));
  }

  void deflate_block(Block& block) {
    block.crc = static_cast<std::uint32_t>(crc32_z(crc32(0, nullptr, 0), bytes(block.in), block.in.size()));
    check(deflateReset(&z_));
    if (!block.dictionary.empty())
      check(deflateSetDictionary(&z_, bytes(block.dictionary), static_cast<uInt>(block.dictionary.size())));
    z_.next_in = const_cast<Bytef*>(bytes(block.in));
    z_.avail_in = static_cast<uInt>(block.in.size());
    block.out.resize(deflateBound(&z_, block.in.size()) + 64);
    std::size_t have = 0;
    int flush = block.last ? Z_FINISH : Z_SYNC_FLUSH;
    for (;;) {
      if (have == block.out.size()) block.out.resize(block.out.size() * 2);
      z_.next_out = reinterpret_cast<Bytef*>(block.out.data() + have);
      z_.avail_out = static_cast<uInt>(block.out.size() - have);
      int rc = deflate(&z_, flush);
      have = block.out.size() - z_.avail_out;
      if (rc == Z_STREAM_END) break;
      if (rc == Z_BUF_ERROR && !block.last) break;  // nothing was left to flush
      check(rc);
      if (!block.last && z_.avail_out != 0) break;  // the sync flush is complete
    }
    block.out.resize(have);
  }

  z_stream z_{};
};

class GzipEncoder final : public Encoder {
 public:
  GzipEncoder(int level, unsigned threads, ByteSink sink) : level_(level), sink_(std::move(sink)) {
    current_ = std::make_unique<Block>();
    current_->in.reserve(block_size);
    // One thread: the producer deflates each block itself, nothing to hand over.
    if (threads <= 1) {
      inline_ = std::make_unique<Deflater>(level);
      return;
    }
    max_in_flight_ = blocks_per_worker * threads;
    for (unsigned i = 0; i < threads; ++i) deflaters_.push_back(std::make_unique<Deflater>(level));
    try {
      for (auto& d : deflaters_) workers_.emplace_back([this, deflater = d.get()] { work(*deflater); });
    } catch (...) {
      stop_workers();
      throw;
    }
  }

  // Without finish(): the workers finish the block in hand and stop; queued
  // blocks are dropped with the encoder.
  ~GzipEncoder() override { stop_workers(); }

  void write(std::string_view data) override {
    while (!data.empty()) {
      std::size_t n = std::min(data.size(), block_size - current_->in.size());
      current_->in.append(data.substr(0, n));
      data.remove_prefix(n);
      if (current_->in.size() == block_size) submit(false);
    }
  }

  void finish() override {
    submit(true);
    while (!pending_.empty()) emit_oldest();
    unsigned char trailer[8];
    put_le32(trailer, crc_);
    put_le32(trailer + 4, static_cast<std::uint32_t>(size_));
    sink_(std::string_view(reinterpret_cast<const char*>(trailer), sizeof trailer));
    stop_workers();
  }

 private:
  static void put_le32(unsigned char* p, std::uint32_t v) {
    for (int i = 0; i < 4; ++i) p[i] = static_cast<unsigned char>(v >> (8 * i));
  }

  // Hands the current block over (to a worker, or deflates it here) and starts
  // the next one with this one's last 32 KiB as its dictionary.
  void submit(bool last) {
    std::unique_ptr<Block> block = std::move(current_);
    block->last = last;
    if (!last) {
      current_ = std::make_unique<Block>();
      current_->in.reserve(block_size);
      std::string_view in = block->in;
      current_->dictionary.assign(in.substr(in.size() - std::min(in.size(), window_size)));
    }
    if (inline_) {
      inline_->compress(*block);
      block->done = true;
      pending_.push_back(std::move(block));
      emit_oldest();
      return;
    }
    while (pending_.size() >= max_in_flight_) emit_oldest();
    Block* queued = block.get();
    pending_.push_back(std::move(block));
    {
      std::lock_guard lock(mutex_);
      queue_.push_back(queued);
    }
    work_ready_.notify_one();
    while (!pending_.empty() && is_done(*pending_.front())) emit_oldest();
  }

  bool is_done(const Block& block) {
    std::lock_guard lock(mutex_);
    return block.done;
  }

  // Waits for the oldest block and gives its bytes to the sink (after the
  // header, for the first). The sink runs on the producer's thread, so its
  // exceptions come out of write() or finish().
  void emit_oldest() {
    Block& block = *pending_.front();
    {
      std::unique_lock lock(mutex_);
      block_done_.wait(lock, [&] { return block.done; });
    }
    if (block.error) std::rethrow_exception(block.error);
    if (!header_written_) {
      const unsigned char xfl = level_ == 9 ? 2 : level_ == 1 ? 4 : 0;
      const unsigned char header[10] = {0x1f, 0x8b, 8, 0, 0, 0, 0, 0, xfl, 3};  // no name, no mtime, Unix
      sink_(std::string_view(reinterpret_cast<const char*>(header), sizeof header));
      header_written_ = true;
    }
    sink_(block.out);
    crc_ = static_cast<std::uint32_t>(crc32_combine(crc_, block.crc, static_cast<z_off_t>(block.in.size())));
    size_ += block.in.size();
    pending_.pop_front();
  }

  void work(Deflater& deflater) {
    for (;;) {
      Block* block;
      {
        std::unique_lock lock(mutex_);
        work_ready_.wait(lock, [&] { return stop_ || !queue_.empty(); });
        if (stop_) return;
        block = queue_.front();
        queue_.pop_front();
      }
      deflater.compress(*block);
      {
        std::lock_guard lock(mutex_);
        block->done = true;
      }
      block_done_.notify_all();
    }
  }

  void stop_workers() noexcept {
    {
      std::lock_guard lock(mutex_);
      stop_ = true;
    }
    work_ready_.notify_all();
    for (auto& t : workers_)
      if (t.joinable()) t.join();
    workers_.clear();
  }

  int level_;
  ByteSink sink_;
  std::unique_ptr<Block> current_;
  std::deque<std::unique_ptr<Block>> pending_;  // handed over, in output order; owned by the producer
  std::unique_ptr<Deflater> inline_;
  std::vector<std::unique_ptr<Deflater>> deflaters_;
  std::size_t max_in_flight_ = 1;
  bool header_written_ = false;
  std::uint32_t crc_ = 0;
  std::uint64_t size_ = 0;

  std::mutex mutex_;
  std::condition_variable work_ready_;
  std::condition_variable block_done_;
  std::deque<Block*> queue_;  // under mutex_: blocks no worker has taken yet
  bool stop_ = false;         // under mutex_
  std::vector<std::thread> workers_;
};

}  // namespace

std::unique_ptr<Encoder> make_gzip_encoder(int level, unsigned threads, ByteSink sink) {
  return std::make_unique<GzipEncoder>(level, threads, std::move(sink));
}

}  // namespace ops::detail

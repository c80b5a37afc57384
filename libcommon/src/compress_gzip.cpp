// gzip compression on several threads, the way pigz does it: the input is cut
// into blocks, each block is raw-deflated on a worker by the engine's library
// (compress_gzip_zlib.cpp, compress_gzip_libdeflate.cpp) so that it ends on a
// byte boundary without the final-block bit; the producer writes them in
// order between one gzip header and one trailer whose CRC-32 is combined from
// the blocks'. The output is one standard gzip member (one deflate stream),
// and for a given engine does not depend on the number of threads.
#include "compress_codec.hpp"
#include "compress_gzip_block.hpp"

#include <ops/error.hpp>

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>
#include <string>
#include <thread>
#include <vector>
#include <zlib.h>  // crc32_combine

namespace ops::detail {

namespace {

// Blocks in flight per worker: enough to keep the workers busy while the
// producer waits on the oldest, few enough to bound memory (a block holds its
// input and output: about 2 MiB with libdeflate's 1 MiB blocks, 16 MiB in all
// on two workers).
constexpr std::size_t blocks_per_worker = 4;
constexpr std::size_t window_size = 32 * 1024;

struct Block : GzipBlock {
  bool done = false;  // under the encoder's mutex once the block is queued
  std::exception_ptr error;
};

// Deflates a block, keeping a failure in the block for the producer.
void deflate_block(BlockDeflater& deflater, Block& block) noexcept {
  try {
    deflater.deflate(block);
  } catch (...) {
    block.error = std::current_exception();
  }
}

class GzipEncoder final : public Encoder {
 public:
  GzipEncoder(int level, unsigned threads, ByteSink sink, GzipEngine engine)
      : level_(level), traits_(gzip_engine_traits(engine)), sink_(std::move(sink)) {
    current_ = std::make_unique<Block>();
    current_->in.reserve(traits_.block_size);
    // One thread: the producer deflates each block itself, nothing to hand over.
    if (threads <= 1) {
      inline_ = make_block_deflater(engine, level);
      return;
    }
    max_in_flight_ = blocks_per_worker * threads;
    for (unsigned i = 0; i < threads; ++i) deflaters_.push_back(make_block_deflater(engine, level));
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

  std::vector<Compressor::RestartPoint> restart_points() const override { return restarts_; }

  void write(std::string_view data) override {
    while (!data.empty()) {
      std::size_t n = std::min(data.size(), traits_.block_size - current_->in.size());
      current_->in.append(data.substr(0, n));
      data.remove_prefix(n);
      if (current_->in.size() == traits_.block_size) submit(false);
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
  // the next one, primed with this one's last 32 KiB if the engine wants it.
  void submit(bool last) {
    std::unique_ptr<Block> block = std::move(current_);
    block->last = last;
    if (!last) {
      current_ = std::make_unique<Block>();
      current_->in.reserve(traits_.block_size);
      std::string_view in = block->in;
      if (traits_.primed) current_->dictionary.assign(in.substr(in.size() - std::min(in.size(), window_size)));
    }
    if (inline_) {
      deflate_block(*inline_, *block);
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
      emitted_ = sizeof header;
      header_written_ = true;
    }
    // A block deflated without a dictionary starts where a decoder may start.
    if (!traits_.primed && size_ != 0) restarts_.push_back({emitted_, size_});
    sink_(block.out);
    emitted_ += block.out.size();
    crc_ = static_cast<std::uint32_t>(crc32_combine(crc_, block.crc, static_cast<z_off_t>(block.in.size())));
    size_ += block.in.size();
    pending_.pop_front();
  }

  void work(BlockDeflater& deflater) {
    for (;;) {
      Block* block;
      {
        std::unique_lock lock(mutex_);
        work_ready_.wait(lock, [&] { return stop_ || !queue_.empty(); });
        if (stop_) return;
        block = queue_.front();
        queue_.pop_front();
      }
      deflate_block(deflater, *block);
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
  GzipEngineTraits traits_;
  ByteSink sink_;
  std::unique_ptr<Block> current_;
  std::deque<std::unique_ptr<Block>> pending_;  // handed over, in output order; owned by the producer
  std::unique_ptr<BlockDeflater> inline_;
  std::vector<std::unique_ptr<BlockDeflater>> deflaters_;
  std::size_t max_in_flight_ = 1;
  bool header_written_ = false;
  std::uint32_t crc_ = 0;
  std::uint64_t size_ = 0;     // plain bytes of the blocks written
  std::uint64_t emitted_ = 0;  // bytes given to the sink
  std::vector<Compressor::RestartPoint> restarts_;

  std::mutex mutex_;
  std::condition_variable work_ready_;
  std::condition_variable block_done_;
  std::deque<Block*> queue_;  // under mutex_: blocks no worker has taken yet
  bool stop_ = false;         // under mutex_
  std::vector<std::thread> workers_;
};

}  // namespace

std::unique_ptr<Encoder> make_gzip_encoder(int level, unsigned threads, ByteSink sink, GzipEngine engine) {
  return std::make_unique<GzipEncoder>(level, threads, std::move(sink), engine);
}

std::unique_ptr<Encoder> make_gzip_encoder(int level, unsigned threads, ByteSink sink) {
  return make_gzip_encoder(level, threads, std::move(sink), gzip_engines().front());
}

}  // namespace ops::detail

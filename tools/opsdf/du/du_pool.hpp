#pragma once
// The du walker's thread pool: a shared LIFO stack of tasks that workers pop
// and may push to, run until the stack is empty and no task is running. LIFO
// keeps the walk close to depth-first, so few tasks are pending at a time.

#include <condition_variable>
#include <exception>
#include <functional>
#include <mutex>
#include <system_error>
#include <thread>
#include <vector>

namespace opsdf::du {

template <typename Task, typename Scratch>
class WorkStack {
 public:
  using Process = std::function<void(Task&, Scratch&)>;

  explicit WorkStack(Task first) { stack_.push_back(std::move(first)); }

  // Runs process(task, scratch) on `threads` threads, the caller being one of
  // them; each thread has its own Scratch. The first exception a task throws
  // stops the pool (pending tasks are dropped) and is rethrown here.
  void run(unsigned threads, const Process& process) {
    std::vector<std::thread> helpers;
    try {
      for (unsigned i = 1; i < threads; ++i) helpers.emplace_back([this, &process] { work(process); });
    } catch (const std::system_error&) {
      // Fewer threads than asked for: only slower.
    }
    work(process);
    for (auto& t : helpers) t.join();
    if (failure_) std::rethrow_exception(failure_);
  }

  // Moves tasks onto the stack (and clears the vector).
  void push(std::vector<Task>& tasks) {
    std::lock_guard lock(mu_);
    for (auto& t : tasks) stack_.push_back(std::move(t));
    if (waiting_ > 0) {
      if (tasks.size() > 1) cv_.notify_all(); else cv_.notify_one();
    }
    tasks.clear();
  }

 private:
  void work(const Process& process) {
    Scratch scratch;
    std::unique_lock lock(mu_);
    for (;;) {
      if (!stack_.empty() && !failure_) {
        {  // the task (and what it holds) is gone before the lock is taken again
          Task task = std::move(stack_.back());
          stack_.pop_back();
          ++active_;
          lock.unlock();
          try {
            process(task, scratch);
          } catch (...) {
            std::lock_guard failed(mu_);
            if (!failure_) failure_ = std::current_exception();
          }
        }
        lock.lock();
        --active_;
        continue;
      }
      if (active_ == 0 || failure_) {
        cv_.notify_all();
        return;
      }
      ++waiting_;
      cv_.wait(lock);
      --waiting_;
    }
  }

  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<Task> stack_;
  unsigned active_ = 0;
  unsigned waiting_ = 0;
  std::exception_ptr failure_;
};

}  // namespace opsdf::du

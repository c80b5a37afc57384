#include "opshealth/runner.hpp"

#include <ops/error.hpp>
#include <ops/units.hpp>

#include <atomic>
#include <condition_variable>
#include <fmt/format.h>
#include <memory>
#include <mutex>
#include <thread>

namespace opshealth {
namespace {

std::atomic<bool> g_abandoned{false};

// What a check's thread and the waiting thread share; the thread holds it
// alive after the waiter has gone.
struct Slot {
  std::mutex mutex;
  std::condition_variable done_cv;
  bool done = false;
  std::vector<Result> results;
};

Result error_row(const std::string& label, ops::Status status, std::string message) {
  Result r;
  r.check = label;
  r.status = status;
  r.message = std::move(message);
  return r;
}

std::vector<Result> answer(const Kind& kind, const Request& request) {
  try {
    std::vector<Result> rows = kind.run(request);
    if (rows.empty()) rows.push_back(error_row(request.label, ops::Status::unknown, "the check gave no result"));
    return rows;
  } catch (const ops::Error& e) {
    std::string message = e.what();
    if (!e.hint().empty()) message += " (" + e.hint() + ")";
    return {error_row(request.label, e.status(), std::move(message))};
  } catch (const std::bad_alloc&) {
    return {error_row(request.label, ops::Status::unknown, "out of memory")};
  } catch (const std::exception& e) {
    return {error_row(request.label, ops::Status::unknown, fmt::format("internal error: {}", e.what()))};
  }
}

std::string seconds_text(std::chrono::milliseconds d) {
  if (d.count() % 1000 == 0) return fmt::format("{}s", d.count() / 1000);
  return fmt::format("{}ms", d.count());
}

}  // namespace

bool checks_abandoned() noexcept { return g_abandoned.load(); }

Planned plan(const Kind& kind, std::string label, std::vector<std::string> args, ops::SectionValues settings,
             const ops::Config& config) {
  Planned p{&kind, Request{std::move(label), std::move(args), std::move(settings), config, {}}, {}, {}};
  p.timeout = std::chrono::milliseconds(p.request.settings.duration("timeout").value_or(std::chrono::seconds(10)));
  if (p.timeout.count() <= 0) p.timeout = std::chrono::milliseconds(10000);
  p.on_timeout = p.request.settings.text("on_timeout").value_or("critical") == "unknown" ? ops::Status::unknown
                                                                                          : ops::Status::critical;
  return p;
}

std::vector<Result> run_checks(std::vector<Planned> plans) {
  const auto start = std::chrono::steady_clock::now();
  std::vector<std::shared_ptr<Slot>> slots;
  std::vector<std::thread> threads;
  std::vector<std::string> labels;
  for (Planned& p : plans) {
    labels.push_back(p.request.label);
    p.request.deadline = start + p.timeout;
    auto slot = std::make_shared<Slot>();
    slots.push_back(slot);
    // The thread owns its request and its slot: nothing it reads lives on
    // this stack, which is gone if it is abandoned.
    threads.emplace_back([slot, kind = p.kind, request = std::move(p.request)]() {
      std::vector<Result> rows = answer(*kind, request);
      std::lock_guard lock(slot->mutex);
      slot->results = std::move(rows);
      slot->done = true;
      slot->done_cv.notify_all();
    });
  }
  std::vector<Result> all;
  for (std::size_t i = 0; i < plans.size(); ++i) {
    Slot& slot = *slots[i];
    std::unique_lock lock(slot.mutex);
    if (slot.done_cv.wait_until(lock, start + plans[i].timeout, [&] { return slot.done; })) {
      for (Result& r : slot.results) all.push_back(std::move(r));
      continue;
    }
    g_abandoned = true;
    Result late = error_row(labels[i], plans[i].on_timeout,
                            fmt::format("no answer within {}", seconds_text(plans[i].timeout)));
    all.push_back(std::move(late));
  }
  // A check that answered is joined: its thread still ends after saying
  // "done" (its captures, then the thread-local state of the client
  // libraries, OpenSSL's among them, freed at thread exit), and a process
  // that exits meanwhile finds that state still held (LeakSanitizer reported
  // it now and then). Only an abandoned thread is left to run.
  for (std::size_t i = 0; i < threads.size(); ++i) {
    bool done = false;
    {
      std::lock_guard lock(slots[i]->mutex);
      done = slots[i]->done;
    }
    if (done) threads[i].join();
    else threads[i].detach();
  }
  return all;
}

}  // namespace opshealth

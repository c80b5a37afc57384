// opshealth's runner: checks answer concurrently, and one that never answers
// is reported at its deadline without holding the others.
#include "opshealth/check.hpp"
#include "opshealth/runner.hpp"

#include <ops/error.hpp>

#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

namespace {

using namespace std::chrono_literals;
using opshealth::Kind;
using opshealth::Planned;
using opshealth::Result;

// A kind whose check runs `body`.
Kind test_kind(std::string name, std::function<std::vector<Result>(const opshealth::Request&)> body) {
  Kind k;
  k.name = std::move(name);
  k.schema.kind = "health";
  k.run = std::move(body);
  return k;
}

Planned planned(const Kind& kind, std::string label, std::chrono::milliseconds timeout,
                ops::Status on_timeout = ops::Status::critical) {
  Planned p{&kind, opshealth::Request{std::move(label), {}, ops::SectionValues(kind.schema, "", ""), {}, {}}, timeout,
            on_timeout};
  return p;
}

Result ok_row(const opshealth::Request& r) { return Result{r.label, ops::Status::ok, "1", "", "fine"}; }

// Blocks until released: a check that hangs as long as the test wants. The
// gate outlives the test (a static), as an abandoned check's thread may.
struct Gate {
  std::mutex m;
  std::condition_variable cv;
  bool open = false;
  void wait() {
    std::unique_lock l(m);
    cv.wait(l, [&] { return open; });
  }
  void release() {
    std::lock_guard l(m);
    open = true;
    cv.notify_all();
  }
};

}  // namespace

TEST_CASE("runner: a check that never answers is reported at its deadline, the others are not held") {
  static Gate gate;
  static const Kind hang = test_kind("hang", [](const opshealth::Request& r) {
    gate.wait();
    return std::vector<Result>{ok_row(r)};
  });
  static const Kind quick = test_kind("quick", [](const opshealth::Request& r) { return std::vector<Result>{ok_row(r)}; });
  std::vector<Planned> plans;
  plans.push_back(planned(hang, "hang one", 300ms));
  plans.push_back(planned(quick, "quick one", 5000ms));
  plans.push_back(planned(hang, "hang two", 300ms, ops::Status::unknown));
  const auto started = std::chrono::steady_clock::now();
  std::vector<Result> rows = opshealth::run_checks(std::move(plans));
  const auto took = std::chrono::steady_clock::now() - started;
  gate.release();

  REQUIRE(rows.size() == 3);
  CHECK(rows[0].check == "hang one");
  CHECK(rows[0].status == ops::Status::critical);
  CHECK(rows[0].message == "no answer within 300ms");
  CHECK(rows[1].check == "quick one");
  CHECK(rows[1].status == ops::Status::ok);
  CHECK(rows[2].status == ops::Status::unknown);  // its on_timeout
  // Both hung checks waited at the same time: the run is not the sum of
  // their deadlines. (A hang guard, not a timing assertion: 0.3 s each.)
  CHECK(took < 30s);
  CHECK(opshealth::checks_abandoned());
}

TEST_CASE("runner: a check that throws gives one row with the error's status and message") {
  static const Kind failing = test_kind("failing", [](const opshealth::Request&) -> std::vector<Result> {
    ops::fail("connection refused");
  });
  static const Kind unsure = test_kind("unsure", [](const opshealth::Request&) -> std::vector<Result> {
    opshealth::cannot_tell("cannot read /proc/loadavg");
  });
  static const Kind silent = test_kind("silent", [](const opshealth::Request&) { return std::vector<Result>{}; });
  std::vector<Planned> plans;
  plans.push_back(planned(failing, "db app", 5000ms));
  plans.push_back(planned(unsure, "load", 5000ms));
  plans.push_back(planned(silent, "silent", 5000ms));
  std::vector<Result> rows = opshealth::run_checks(std::move(plans));
  REQUIRE(rows.size() == 3);
  CHECK(rows[0].check == "db app");
  CHECK(rows[0].status == ops::Status::critical);
  CHECK(rows[0].message == "connection refused");
  CHECK(rows[1].status == ops::Status::unknown);
  CHECK(rows[1].message == "cannot read /proc/loadavg");
  CHECK(rows[2].status == ops::Status::unknown);
  CHECK(rows[2].message == "the check gave no result");
}

TEST_CASE("runner: the checks run at the same time") {
  // Three checks that each wait for the other two to have started: run one
  // after another, none of them could finish before its deadline.
  static std::atomic<int> started{0};
  static const Kind meet = test_kind("meet", [](const opshealth::Request& r) {
    ++started;
    while (started.load() < 3 && std::chrono::steady_clock::now() < r.deadline) std::this_thread::sleep_for(1ms);
    return std::vector<Result>{Result{r.label, started.load() >= 3 ? ops::Status::ok : ops::Status::critical, "", "",
                                      "met"}};
  });
  std::vector<Planned> plans;
  for (int i = 0; i < 3; ++i) plans.push_back(planned(meet, "meet " + std::to_string(i), 20000ms));
  for (const Result& r : opshealth::run_checks(std::move(plans))) CHECK(r.status == ops::Status::ok);
}

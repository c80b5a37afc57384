// ops::log: messages on stderr, copied to a sink (a run's log file); ops::Warnings:
// the warnings of a run, printed as they come and counted, so
// the code that ends the run can turn them into its exit status.
#include <ops/log.hpp>

#include <catch2/catch.hpp>

#include <cstdio>
#include <stdexcept>
#include <string>
#include <unistd.h>

namespace {

// What the scope wrote to stderr (fd 2).
class StderrCapture {
 public:
  StderrCapture() : file_(std::tmpfile()) {
    std::fflush(stderr);
    saved_ = ::dup(2);
    ::dup2(::fileno(file_), 2);
  }
  ~StderrCapture() {
    restore();
    std::fclose(file_);
  }
  StderrCapture(const StderrCapture&) = delete;
  StderrCapture& operator=(const StderrCapture&) = delete;

  std::string text() {
    restore();
    std::string out;
    std::rewind(file_);
    char buf[4096];
    while (std::size_t n = std::fread(buf, 1, sizeof buf, file_)) out.append(buf, n);
    return out;
  }

 private:
  void restore() {
    if (saved_ < 0) return;
    std::fflush(stderr);
    ::dup2(saved_, 2);
    ::close(saved_);
    saved_ = -1;
  }
  FILE* file_;
  int saved_ = -1;
};

}  // namespace

TEST_CASE("log: Warnings prints each warning and makes the status a warning") {
  ops::log::set_program("faketool");
  ops::Warnings warnings;
  CHECK(warnings.count() == 0);
  CHECK(warnings.status() == ops::Status::ok);

  StderrCapture err;
  warnings.add("cannot read usage of {}: {}", "/mnt/nfs", "Stale file handle");
  warnings.add(std::string("history line 7: not a sample"));
  CHECK(err.text() ==
        "faketool: warning: cannot read usage of /mnt/nfs: Stale file handle\n"
        "faketool: warning: history line 7: not a sample\n");
  CHECK(warnings.count() == 2);
  CHECK(warnings.status() == ops::Status::warning);
  // Folded into a run's status: a warning never hides something worse.
  CHECK(ops::worst(ops::Status::critical, warnings.status()) == ops::Status::critical);
  CHECK(ops::worst(ops::Status::ok, warnings.status()) == ops::Status::warning);
}

TEST_CASE("log: warning_line prints and counts nowhere") {
  ops::log::set_program("faketool");
  ops::Warnings warnings;
  StderrCapture err;
  ops::log::warning_line("another faketool run holds /run/lock/faketool.lock; skipping this run");
  CHECK(err.text() == "faketool: warning: another faketool run holds /run/lock/faketool.lock; skipping this run\n");
  CHECK(warnings.status() == ops::Status::ok);  // the caller sets its status there
}

TEST_CASE("log: a Warnings is one run's: a new one starts at ok") {
  ops::log::set_program("faketool");
  {
    StderrCapture err;
    ops::Warnings first;
    first.add("something");
    CHECK(first.status() == ops::Status::warning);
  }
  ops::Warnings second;
  CHECK(second.status() == ops::Status::ok);
}

TEST_CASE("log: a message is one printable line whatever it quotes") {
  ops::log::set_program("opstest");
  StderrCapture capture;
  ops::log::error_line("cannot open 'a\nb\x1b[31m': No such file");
  CHECK(capture.text() == "opstest: error: cannot open 'a\\nb\\x1b[31m': No such file\n");
}

TEST_CASE("log: set_copy gets every line as printed, and the verbose ones stderr does not show") {
  ops::log::set_program("faketool");
  ops::log::set_verbosity(ops::log::Verbosity::normal);
  std::string copied;
  ops::log::set_copy([&](std::string_view line) { copied += line; });
  CHECK(ops::log::copying());
  StderrCapture err;
  ops::log::info("reading config file {}", "app.conf");
  ops::log::error_line("stat of /var/log/app.log failed");
  ops::log::hint_line("say missingok");
  ops::log::set_copy({});
  ops::log::error_line("not copied");
  CHECK_FALSE(ops::log::copying());
  CHECK(err.text() ==
        "faketool: error: stat of /var/log/app.log failed\n"
        "faketool: hint: say missingok\n"
        "faketool: error: not copied\n");
  CHECK(copied ==
        "faketool: reading config file app.conf\n"
        "faketool: error: stat of /var/log/app.log failed\n"
        "faketool: hint: say missingok\n");
}

TEST_CASE("log: a copy that fails is dropped, with one error, and stderr goes on") {
  ops::log::set_program("faketool");
  int calls = 0;
  ops::log::set_copy([&](std::string_view) {
    ++calls;
    throw std::runtime_error("disk full");
  });
  StderrCapture err;
  ops::log::error_line("first");
  ops::log::error_line("second");
  CHECK(calls == 1);
  CHECK_FALSE(ops::log::copying());
  CHECK(err.text() ==
        "faketool: error: first\n"
        "faketool: error: cannot copy messages any more: disk full\n"
        "faketool: error: second\n");
}

#define PCRE2_CODE_UNIT_WIDTH 8
#include <ops/pattern.hpp>

#include <ops/error.hpp>
#include <ops/text.hpp>

#include <fmt/format.h>
#include <pcre2.h>

namespace ops {

struct Pattern::Code {
  pcre2_code* code = nullptr;
  ~Code() { pcre2_code_free(code); }
};

namespace {

// Match data for one match on the calling thread: a pcre2_code is shared
// between threads, its match data never is.
struct MatchData {
  pcre2_match_data* data;
  explicit MatchData(const pcre2_code* code) : data(pcre2_match_data_create_from_pattern(code, nullptr)) {
    if (!data) throw std::bad_alloc();
  }
  ~MatchData() { pcre2_match_data_free(data); }
  MatchData(const MatchData&) = delete;
  MatchData& operator=(const MatchData&) = delete;
};

std::string pcre2_message(int code) {
  PCRE2_UCHAR buffer[256];
  if (pcre2_get_error_message(code, buffer, sizeof buffer) < 0) return fmt::format("PCRE2 error {}", code);
  return reinterpret_cast<const char*>(buffer);
}

}  // namespace

Pattern::Pattern(std::string_view pattern, bool caseless) : text_(pattern), code_(std::make_unique<Code>()) {
  int error = 0;
  PCRE2_SIZE offset = 0;
  code_->code = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(pattern.data()), pattern.size(),
                              caseless ? PCRE2_CASELESS : 0u, &error, &offset, nullptr);
  if (!code_->code)
    fail_usage(fmt::format("bad pattern '{}': {} at offset {}", shown(pattern), pcre2_message(error), offset));
  // JIT makes matching several times faster; where it is missing the
  // interpreter gives the same answers.
  (void)pcre2_jit_compile(code_->code, PCRE2_JIT_COMPLETE);
}

Pattern::~Pattern() = default;
Pattern::Pattern(Pattern&&) noexcept = default;
Pattern& Pattern::operator=(Pattern&&) noexcept = default;

std::optional<std::vector<std::optional<std::string_view>>> Pattern::search(std::string_view text) const {
  MatchData md(code_->code);
  const int rc = pcre2_match(code_->code, reinterpret_cast<PCRE2_SPTR>(text.data()), text.size(), 0, 0, md.data,
                             nullptr);
  if (rc == PCRE2_ERROR_NOMATCH) return std::nullopt;
  if (rc < 0)  // a resource limit (backtracking) reached on this text
    fail(fmt::format("pattern '{}' could not be matched: {}", shown(text_), pcre2_message(rc)));
  const PCRE2_SIZE* ovector = pcre2_get_ovector_pointer(md.data);
  const std::uint32_t groups = pcre2_get_ovector_count(md.data);
  std::vector<std::optional<std::string_view>> found;
  for (std::uint32_t i = 0; i < groups; ++i) {
    if (ovector[2 * i] == PCRE2_UNSET || i >= static_cast<std::uint32_t>(rc)) {
      found.emplace_back(std::nullopt);
    } else {
      found.emplace_back(text.substr(ovector[2 * i], ovector[2 * i + 1] - ovector[2 * i]));
    }
  }
  return found;
}

bool Pattern::matches(std::string_view text) const { return search(text).has_value(); }

}  // namespace ops

// The main wrapper: argv → subcommand and options → run → exit status.
#include <ops/cli.hpp>
#include <ops/text.hpp>
#include <ops/clock.hpp>
#include <ops/error.hpp>
#include <ops/fs.hpp>
#include <ops/log.hpp>
#include <ops/value_check.hpp>

#include <algorithm>
#include <filesystem>
#include <csignal>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <fmt/format.h>
#include <iostream>
#include <set>
#include <sstream>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef OPS_VERSION
#define OPS_VERSION "0.0.0"
#endif

namespace ops::cli {

namespace {

// The name the usage gives the argument at `index` ("NAME|DSN" of "NAME|DSN",
// "PATH" of "PATH..."), so "missing argument" says which one.
std::string argument_name(std::string_view usage, int index) {
  std::vector<std::string_view> words;
  for (std::size_t at = 0; at < usage.size();) {
    const std::size_t end = std::min(usage.find(' ', at), usage.size());
    if (end > at) words.push_back(usage.substr(at, end - at));
    at = end + 1;
  }
  if (words.empty()) return "";
  std::string_view word = words[std::min<std::size_t>(static_cast<std::size_t>(index), words.size() - 1)];
  while (!word.empty() && (word.front() == '[')) word.remove_prefix(1);
  while (!word.empty() && (word.back() == ']' || word.back() == '.')) word.remove_suffix(1);
  return std::string(word);
}

void add_common_options(po::options_description& desc, const Tool& tool) {
  desc.add_options()
    ("config,c", po::value<std::string>()->value_name("FILE"), "configuration file (default $OPS_CONFIG, then /etc/ops/ops.conf)")
    ("format", checked_value(format_check(tool.monitoring_formats))->value_name("FMT"),
     tool.monitoring_formats ? "output format: text (default), tsv, json, nagios or prometheus"
                             : "output format: text (default), tsv or json")
    ("quiet,q", po::bool_switch(), "print nothing when all is well (for cron)")
    ("verbose,v", po::bool_switch(), "say what is being done, on stderr")
    ("dry-run,n", po::bool_switch(), "show what would change, change nothing")
    ("lock", po::bool_switch(), "skip this run (exit 1) if another run holds the lock")
    ("lock-file", checked_value(new_file_check())->value_name("FILE"), "lock file to use (implies --lock)")
    ("metrics-dir", po::value<std::string>()->value_name("DIR"), "write DIR/<tool>.prom for node_exporter")
    ("syslog", po::bool_switch(), "also send diagnostics to syslog")
    ("help,h", po::bool_switch(), "show this help and exit")
    ("version", po::bool_switch(), "show the version and exit");
}

// Common options ops.conf may set in a tool's section; the rest only make
// sense on a command line.
const std::vector<std::string> kCommonConfigKeys = {"format", "lock", "lock-file", "metrics-dir", "syslog"};

std::string env_name(const std::string& section, const std::string& option) {
  std::string name = "OPS_" + section + "_" + option;
  for (auto& c : name) c = c == '-' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return name;
}

std::string env_name(const Tool& tool, const std::string& option) { return env_name(tool.config_section, option); }

// Every declaration of each option name: the common options and those of
// each subcommand (two subcommands may both declare --top).
using Declarations = std::multimap<std::string, boost::shared_ptr<po::option_description>>;

// Checks one value of `option` against each of its declarations; `where`
// names its origin ("--top", "OPS_DF_TOP", "/etc/ops/ops.conf:7"). With
// `from_file`, the value is also parsed as the option's type would (a switch
// set to "maybe"): the command line and environment get that from po::store.
void check_value(const Declarations& declarations, const std::string& option, const std::string& text,
                 const std::string& where, const Config& config, bool from_file, bool host_checks = true) {
  auto [first, last] = declarations.equal_range(option);
  for (auto it = first; it != last; ++it) {
    const po::option_description& d = *it->second;
    if (const ValueCheck* check = check_of(*d.semantic()); check && (host_checks || !checks_the_host(*check))) {
      try {
        (*check)(text, config);
      } catch (const Error& e) {
        if (e.status() != Status::unknown) throw;
        // "ops.conf:7 (top): invalid value …", as Context::source() names it; "--top: invalid value …".
        std::string config_key = option;
        std::replace(config_key.begin(), config_key.end(), '-', '_');
        fail_usage(from_file ? fmt::format("{} ({}): {}", where, config_key, e.what())
                             : fmt::format("{}: {}", where, e.what()),
                   e.hint());
      }
    }
    if (!from_file) continue;
    try {
      po::options_description one;
      one.add(it->second);
      po::parsed_options parsed(&one);
      parsed.options.emplace_back(d.long_name(), std::vector<std::string>{text});
      po::variables_map scratch;
      po::store(parsed, scratch);
    } catch (const po::error&) {
      std::string config_key = option;
      std::replace(config_key.begin(), config_key.end(), '-', '_');
      fail_usage(fmt::format("{}: invalid value '{}' for '{}'", where, shown(text), config_key));
    }
  }
}

// Finds the subcommand word among the arguments, skipping option values.
// Returns its index in args, or -1 when there is no positional argument.
int find_subcommand_word(const std::vector<std::string>& args, const po::options_description& all) {
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--") return i + 1 < args.size() ? static_cast<int>(i + 1) : -1;
    if (a.size() > 1 && a[0] == '-') {
      bool is_long = a.rfind("--", 0) == 0;
      if (is_long && a.find('=') != std::string::npos) continue;
      if (!is_long && a.size() > 2) continue;  // -cFILE or bundled flags
      std::string name = is_long ? a.substr(2) : a;  // po matches short names as "-x"
      const po::option_description* d = all.find_nothrow(name, false, false, false);
      if (d && d->semantic()->max_tokens() > 0) ++i;  // its value follows
      continue;
    }
    return static_cast<int>(i);
  }
  return -1;
}

void print_tool_help(const Tool& tool, const po::options_description& common) {
  std::cout << fmt::format("Usage: {} [OPTIONS] [SUBCOMMAND] [ARGS]\n{}\n\nSubcommands:\n", tool.name, tool.summary);
  std::size_t width = 0;
  for (const auto& s : tool.subcommands) width = std::max(width, s.name.size());
  for (const auto& s : tool.subcommands) {
    std::string mark = s.name == tool.default_subcommand ? " (default)" : "";
    std::cout << fmt::format("  {:<{}}  {}{}\n", s.name, width, s.summary, mark);
  }
  std::cout << fmt::format("  {:<{}}  {}\n\n", "help", width, "show help for a subcommand");
  std::cout << common << fmt::format("\nExit status: 0 ok, 1 warning, 2 critical (the job failed), 3 unknown (bad usage).\n"
                                     "See '{0} SUBCOMMAND --help' and man {0}(1).\n", tool.name);
}

void print_subcommand_help(const Tool& tool, const Subcommand& sub, const po::options_description& own,
                           const po::options_description& common) {
  std::cout << fmt::format("Usage: {} {} [OPTIONS] {}\n{}\n\n", tool.name, sub.name, sub.args_usage, sub.summary);
  if (!own.options().empty()) std::cout << own << '\n';
  std::cout << common;
}

// A value to check once everything is read: from the command line, the
// environment or ops.conf, in that order, so that the first refusal is of the
// value that wins.
struct PendingCheck {
  std::string option;
  std::string text;
  std::string where;  // "--top", "OPS_DF_TOP", "/etc/ops/ops.conf:7"
  bool from_file = false;
};

struct Parsed {
  const Subcommand* sub = nullptr;
  Declarations current;  // what the command line and environment may set: this subcommand's options
  Declarations every;    // what ops.conf may set: every subcommand's
  std::vector<PendingCheck> pending;
  po::variables_map vm;
  std::map<std::string, std::string> sources;
  std::vector<std::string> positional;
  bool help = false;
};

// Refuses a key of the tool's section that no subcommand of the tool knows,
// or one given twice; returns its option name ("inode-warn").
std::string check_key(const Tool& tool, const Config& config, const ConfigEntry& entry,
                      const po::options_description& every_option, std::map<std::string, int>& first_line) {
  std::string option = entry.key;
  std::replace(option.begin(), option.end(), '_', '-');
  bool common_key = std::find(kCommonConfigKeys.begin(), kCommonConfigKeys.end(), option) != kCommonConfigKeys.end();
  bool known = every_option.find_nothrow(option, false, false, false) != nullptr;
  if (!known || (!common_key && (option == "config" || option == "help" || option == "version" ||
                                 option == "quiet" || option == "verbose" || option == "dry-run")))
    fail_usage(fmt::format("{}: unknown key '{}' in [{}]", config.where(entry.line), shown(entry.key), tool.config_section),
               fmt::format("the keys of [{}] are the long options of {} (see {} --help)", tool.config_section,
                           tool.name, tool.name));
  // A repeatable option may be given on several lines; any other key twice
  // is a mistake (which line was meant?), not "the first one wins".
  auto [first, inserted] = first_line.emplace(option, entry.line);
  if (!inserted && !every_option.find_nothrow(option, false, false, false)->semantic()->is_composing())
    fail_usage(fmt::format("{}: key '{}' repeated in [{}] (first set at line {})", config.where(entry.line),
                           entry.key, tool.config_section, first->second));
  return option;
}

// Every option of every subcommand of the tool, and the common ones: to skip
// option values while looking for the subcommand word and to check ops.conf.
void collect_options(const Tool& tool, const po::options_description& common, po::options_description& every_option,
                     Declarations& declarations) {
  every_option.add(common);
  for (const auto& o : common.options()) declarations.emplace(o->long_name(), o);
  for (const auto& s : tool.subcommands) {
    po::options_description own;
    if (s.add_options) s.add_options(own);
    for (const auto& o : own.options()) {
      declarations.emplace(o->long_name(), o);
      if (!every_option.find_nothrow(o->long_name(), false, false, false)) every_option.add(o);
    }
  }
}

// Checks what another tool of the suite reads of ops.conf ([df] for opsdf,
// its named sections) as that tool would: the file is one, and every tool
// that reads it refuses it whole.
void check_peer(const Tool& peer, const Config& config) {
  po::options_description common;
  add_common_options(common, peer);
  po::options_description every_option;
  Declarations declarations;
  collect_options(peer, common, every_option, declarations);
  if (const ConfigSection* section = config.section(peer.config_section)) {
    std::map<std::string, int> first_line;
    for (const auto& entry : section->entries) {
      const std::string option = check_key(peer, config, entry, every_option, first_line);
      check_value(declarations, option, entry.value, config.where(entry.line), config, true, false);
    }
  }
  if (peer.check_sections) peer.check_sections(config);
}

// Stores the [section] entries of ops.conf that this subcommand understands;
// refuses keys no subcommand of the tool knows, naming file and line.
void store_config(const Tool& tool, const Config& config, const po::options_description& desc,
                  const po::options_description& every_option, Parsed& parsed) {
  const ConfigSection* section = config.section(tool.config_section);
  if (!section) return;
  // Options the command line or the environment set (parse() has recorded
  // only those so far): the file does not add to them, even repeatable ones.
  std::set<std::string> set_before;
  for (const auto& [option, source] : parsed.sources) set_before.insert(option);
  std::map<std::string, int> first_line;
  for (const auto& entry : section->entries) {
    const std::string option = check_key(tool, config, entry, every_option, first_line);
    // Every value is checked, whichever subcommand runs: a bad value waits
    // for no subcommand to use it.
    parsed.pending.push_back({option, entry.value, config.where(entry.line), true});
    if (!desc.find_nothrow(option, false, false, false)) continue;  // another subcommand's key
    if (set_before.count(option)) continue;                           // CLI or env won
    try {
      po::parsed_options one(&desc);
      one.options.emplace_back(option, std::vector<std::string>{entry.value});
      po::store(one, parsed.vm);
    } catch (const po::error&) {
      fail_usage(fmt::format("{}: invalid value '{}' for '{}'", config.where(entry.line), shown(entry.value), shown(entry.key)));
    }
    parsed.sources.emplace(option, fmt::format("{} ({})", config.where(entry.line), entry.key));
  }
}

Parsed parse(const Tool& tool, const std::vector<std::string>& args, const po::options_description& common,
             Config& config) {
  // Every option of every subcommand, to skip option values while looking for
  // the subcommand word and to validate ops.conf keys.
  po::options_description every_option;
  Declarations declarations;
  collect_options(tool, common, every_option, declarations);

  auto unknown_subcommand = [&](const std::string& w) {
    std::vector<std::string> names;
    for (const auto& s : tool.subcommands) names.push_back(s.name);
    auto guess = suggest(w, names);
    fail_usage(fmt::format("unknown subcommand '{}'", shown(w)),
               guess ? fmt::format("did you mean '{} {}'?", tool.name, *guess)
                     : fmt::format("see '{} --help' for the list", tool.name));
  };

  Parsed parsed;
  std::vector<std::string> rest = args;
  int word = find_subcommand_word(args, every_option);
  std::string name = tool.default_subcommand;
  bool named = false;  // the user typed a subcommand (or "help SUB")
  if (word >= 0) {
    const std::string& w = args[word];
    bool is_subcommand = w == "help" || std::any_of(tool.subcommands.begin(), tool.subcommands.end(),
                                                    [&](const Subcommand& s) { return s.name == w; });
    // An argument of the default subcommand: "/etc/logrotate.conf", "./x",
    // a file that exists ("opsrotate app.conf"), or a name with a dot, which
    // no subcommand has ("opsrotate missing.conf": the default subcommand
    // says the file is missing); and, when the default subcommand needs
    // arguments (opsrotate's CONFIG...), any word no subcommand is near.
    std::error_code ec;
    bool looks_like_path = w.find('/') != std::string::npos || w.find('.') != std::string::npos || w[0] == '~' ||
                           std::filesystem::exists(w, ec);
    const Subcommand* fallback = nullptr;
    for (const auto& s : tool.subcommands)
      if (s.name == tool.default_subcommand) fallback = &s;
    if (fallback && fallback->min_args > 0 && !is_subcommand) {
      std::vector<std::string> names;
      for (const auto& s : tool.subcommands) names.push_back(s.name);
      if (!suggest(w, names)) looks_like_path = true;
    }
    if (is_subcommand) {
      name = w;
      named = true;
      rest.erase(rest.begin() + word);
    } else if (tool.default_subcommand.empty() || !looks_like_path) {
      unknown_subcommand(w);
    }
  }
  if (name == "help") {
    parsed.help = true;
    auto it = std::find_if(rest.begin(), rest.end(), [](const std::string& a) { return a.empty() || a[0] != '-'; });
    name = it == rest.end() ? "" : *it;
    if (!name.empty()) rest.clear();
  }
  for (const auto& s : tool.subcommands)
    if (s.name == name) parsed.sub = &s;
  if (!parsed.sub) {
    if (!name.empty()) unknown_subcommand(name);  // "help NAME"
    // "tool --help" of a tool without a default subcommand is the tool's help.
    bool asked_help = std::find(args.begin(), args.end(), "--help") != args.end() ||
                      std::find(args.begin(), args.end(), "-h") != args.end();
    if (!parsed.help && !asked_help) {
      // "opsbackup --bogus": the unknown option is the culprit, not the subcommand it hid.
      for (const auto& a : args) {
        if (a == "--") break;
        if (a.size() < 2 || a[0] != '-') continue;
        const bool is_long = a.rfind("--", 0) == 0;
        const std::string option = is_long ? a.substr(2, a.find('=') - 2) : a.substr(0, 2);
        if (!every_option.find_nothrow(option, false, false, false))
          fail_usage(fmt::format("unknown option '{}'", is_long ? "--" + option : option),
                     fmt::format("see '{} --help'", tool.name));
      }
      fail_usage("missing subcommand", fmt::format("see '{} --help'", tool.name));
    }
    parsed.help = true;
  }

  po::options_description own(parsed.sub ? parsed.sub->name + " options" : "options");
  if (parsed.sub && parsed.sub->add_options) parsed.sub->add_options(own);
  po::options_description desc;
  desc.add(common).add(own);
  desc.add_options()("args", po::value<std::vector<std::string>>()->composing(), "");
  po::positional_options_description positional;
  positional.add("args", -1);

  auto cmdline = po::command_line_parser(rest)
                     .options(desc)
                     .positional(positional)
                     .style(po::command_line_style::default_style & ~po::command_line_style::allow_guessing)
                     .run();
  // A switch given twice is the same switch (`logrotate -v -fv`, `-q -q`),
  // not an error: only its first occurrence is stored.
  std::set<std::string> switches_seen;
  std::erase_if(cmdline.options, [&](const po::option& o) {
    const po::option_description* d = desc.find_nothrow(o.string_key, false, false, false);
    const bool is_switch = d && d->semantic()->min_tokens() == 0 && d->semantic()->max_tokens() == 0;
    return is_switch && !switches_seen.insert(o.string_key).second;
  });
  po::store(cmdline, parsed.vm);
  if (parsed.help || parsed.vm["help"].as<bool>()) {
    parsed.help = true;
    if (parsed.sub && named) print_subcommand_help(tool, *parsed.sub, own, common);
    else print_tool_help(tool, common);
    return parsed;
  }
  for (const auto& o : cmdline.options)
    if (!o.string_key.empty() && o.string_key != "args") parsed.sources.emplace(o.string_key, "--" + o.string_key);

  // The environment comes after the command line and before the file.
  auto env = po::parse_environment(desc, [&](const std::string& var) -> std::string {
    for (const auto& o : desc.options())
      if (o->long_name() != "args" && env_name(tool, o->long_name()) == var) return o->long_name();
    return "";
  });
  // It does not add to what the command line set: OPS_DF_TYPE does not join a --type.
  std::erase_if(env.options, [&](const po::option& o) { return parsed.sources.count(o.string_key) > 0; });
  for (const auto& o : env.options) parsed.sources.emplace(o.string_key, env_name(tool, o.string_key));
  try {
    po::store(env, parsed.vm);
  } catch (const po::validation_error& e) {
    // Boost names the option ('force'); the user set a variable.
    std::string var = env_name(tool, e.get_option_name().substr(e.get_option_name().find_first_not_of('-')));
    const char* value = std::getenv(var.c_str());
    fail_usage(fmt::format("{}: invalid value '{}'", var, shown(value ? value : "")));
  }

  std::string config_path = parsed.vm.count("config") ? parsed.vm["config"].as<std::string>() : "";
  config = Config::load(config_path);
  for (const auto& o : desc.options()) parsed.current.emplace(o->long_name(), o);
  parsed.every = std::move(declarations);
  for (const auto& o : cmdline.options) {
    if (o.string_key.empty() || o.string_key == "args") continue;
    // An option with an implicit value (a bare --compress) may have taken
    // the next word, which is the subcommand's to read (a DIR).
    auto it = parsed.current.find(o.string_key);
    if (it != parsed.current.end() && it->second->semantic()->min_tokens() == 0) continue;
    for (const auto& token : o.value) parsed.pending.push_back({o.string_key, token, "--" + o.string_key, false});
  }
  for (const auto& o : env.options)
    for (const auto& token : o.value)
      parsed.pending.push_back({o.string_key, token, env_name(tool, o.string_key), false});
  store_config(tool, config, desc, every_option, parsed);
  po::notify(parsed.vm);

  if (parsed.vm.count("args")) parsed.positional = parsed.vm["args"].as<std::vector<std::string>>();
  int n = static_cast<int>(parsed.positional.size());
  const Subcommand& sub = *parsed.sub;
  if (n < sub.min_args || (sub.max_args >= 0 && n > sub.max_args)) {
    std::string what = n < sub.min_args ? fmt::format("missing argument {}", argument_name(sub.args_usage, n))
                                        : fmt::format("unexpected argument '{}'", shown(parsed.positional[sub.max_args]));
    fail_usage(what, fmt::format("usage: {} {} {}", tool.name, sub.name, sub.args_usage));
  }
  return parsed;
}

// Checks every value read (ops.conf whole, whichever subcommand runs), the
// tool's named sections, and what the other tools of the suite read.
void check_parsed(const Tool& tool, const Parsed& parsed, const Config& config, const std::vector<Tool>& peers) {
  for (const auto& p : parsed.pending)
    check_value(p.from_file ? parsed.every : parsed.current, p.option, p.text, p.where, config, p.from_file);
  if (tool.check_sections) tool.check_sections(config);
  for (const auto& peer : peers)
    if (peer.name != tool.name) check_peer(peer, config);
}

CommonOptions common_from(const po::variables_map& vm, const Tool& for_tool) {
  const std::string& tool = for_tool.name;
  CommonOptions c;
  if (vm.count("config")) c.config_path = vm["config"].as<std::string>();
  if (vm.count("format")) c.format = parse_format(vm["format"].as<std::string>(), for_tool.monitoring_formats);
  c.quiet = vm["quiet"].as<bool>();
  c.verbose = vm["verbose"].as<bool>();
  c.dry_run = vm["dry-run"].as<bool>();
  c.syslog = vm["syslog"].as<bool>();
  if (vm.count("metrics-dir")) c.metrics_dir = vm["metrics-dir"].as<std::string>();
  if (vm.count("lock-file")) c.lock_file = vm["lock-file"].as<std::string>();
  else if (vm["lock"].as<bool>())
    c.lock_file = ::geteuid() == 0 ? "/run/lock/" + tool + ".lock" : fmt::format("/tmp/{}-{}.lock", tool, ::geteuid());
  if (c.quiet && c.verbose) fail_usage("--quiet and --verbose contradict each other");
  return c;
}

// Checked before the job, not when the metrics are written after it: a
// typo must not let a rotation or a backup run and then fail its report.
void check_metrics_dir(const std::string& dir) {
  struct stat st {};
  if (::stat(dir.c_str(), &st) != 0) {
    int err = errno;
    fail_usage(fmt::format("metrics directory {}: {}", shown(dir), errno_text(err)));
  }
  if (!S_ISDIR(st.st_mode)) fail_usage(fmt::format("metrics directory {} is not a directory", shown(dir)));
}

double unix_seconds(std::chrono::system_clock::time_point t) {
  return std::chrono::duration<double>(t.time_since_epoch()).count();
}

}  // namespace

int run(const Tool& tool, int argc, char** argv, const std::vector<Tool>& peers) {
  log::set_program(tool.name);
  // Started with stdin, stdout or stderr closed (`tool <&- >&-`), the first
  // files we open would take fds 0-2, and our results, a child's output or
  // its input would land in them: those fds are /dev/null instead.
  for (int fd = 0; fd <= 2; ++fd)
    if (::fcntl(fd, F_GETFD) < 0 && errno == EBADF && ::open("/dev/null", O_RDWR) != fd) break;
  // A full file size limit (ulimit -f) or a reader that went away must be an
  // error we report and clean up after, not a signal that kills us mid-write.
  std::signal(SIGXFSZ, SIG_IGN);
  std::signal(SIGPIPE, SIG_IGN);
  auto started = std::chrono::system_clock::now();
  auto started_steady = std::chrono::steady_clock::now();
  Status status = Status::ok;
  CommonOptions common;
  Metrics metrics;
  std::ostringstream out;
  bool quiet = false;
  try {
    std::vector<std::string> args(argv + 1, argv + argc);
    if (std::find(args.begin(), args.end(), "--version") != args.end()) {
      std::cout << fmt::format("{} (ops) {}\n", tool.name, OPS_VERSION);
      return 0;
    }
    po::options_description common_desc("Common options");
    add_common_options(common_desc, tool);
    Config config;
    Parsed parsed = parse(tool, args, common_desc, config);
    if (parsed.help) return 0;
    // Known first, so that a refused value is recorded in the metrics too.
    if (parsed.vm.count("metrics-dir")) {
      const std::string dir = parsed.vm["metrics-dir"].as<std::string>();
      check_metrics_dir(dir);  // refused: no metrics to write either
      common.metrics_dir = dir;
    }
    check_parsed(tool, parsed, config, peers);
    common = common_from(parsed.vm, tool);
    quiet = common.quiet;
    if (common.syslog) log::enable_syslog();
    log::set_verbosity(common.quiet ? log::Verbosity::quiet
                                    : common.verbose ? log::Verbosity::verbose : log::Verbosity::normal);
    std::optional<FileLock> lock;
    if (!common.lock_file.empty()) {
      lock = FileLock::try_acquire(common.lock_file);
      if (!*lock) {
        log::warning_line(fmt::format("another {} run holds {}; skipping this run", tool.name, common.lock_file));
        return exit_code(Status::warning);  // no metrics: the holder will write them
      }
    }
    Context ctx(common, config, parsed.positional, out, metrics, parsed.vm, parsed.sources);
    status = parsed.sub->run(ctx);
    if (!(quiet && status == Status::ok)) std::cout << out.str() << std::flush;
  } catch (const Error& e) {
    status = e.status();
    log::error_line(e.what());
    if (!e.hint().empty()) log::hint_line(e.hint());
  } catch (const po::error& e) {
    status = Status::unknown;
    log::error_line(e.what());
    log::hint_line(fmt::format("see '{} --help'", tool.name));
  } catch (const std::bad_alloc&) {
    status = Status::critical;
    log::error_line("out of memory");
  } catch (const std::exception& e) {
    status = Status::critical;
    log::error_line(fmt::format("internal error: {}", e.what()));
  }
  if (!common.metrics_dir.empty()) {
    double duration = std::chrono::duration<double>(std::chrono::steady_clock::now() - started_steady).count();
    try {
      write_metrics(common.metrics_dir, tool.name, status, unix_seconds(started), duration, metrics);
    } catch (const Error& e) {
      log::warning_line(e.what());
      status = worst(status, Status::warning);
    }
  }
  return exit_code(status);
}

std::optional<std::string> setting_of(const Config& config, const std::string& section, const std::string& option) {
  // As po::parse_environment and the file reader below find it: the variable
  // wins, even empty; then the key, spelled with '_' for '-'.
  if (const char* value = std::getenv(env_name(section, option).c_str())) return std::string(value);
  std::string key = option;
  std::replace(key.begin(), key.end(), '-', '_');
  if (const ConfigSection* s = config.section(section))
    for (const ConfigEntry& e : s->entries)
      if (e.key == key) return e.value;
  return std::nullopt;
}

}  // namespace ops::cli

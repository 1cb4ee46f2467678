// Fuzz target: shell quoting of `mfaenv env` (src/output: render_env, append_sh_quoted,
// append_fish_quoted). The input is a value; each installed shell (dash as /bin/sh, bash, zsh with
// the sh format; fish with the fish format) sources the rendered output plus a bare quoted word and
// prints both back with printf: each must equal the input byte for byte. Inputs holding NUL are
// skipped: no environment value can hold one (the writers pass it through unchanged and shells drop
// it). The shells run once per process, sourcing a new file per input, under C.UTF-8.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "fuzz_check.h"
#include "output/env_writer.h"
#include "output/quote.h"

extern char** environ;

namespace {

using namespace mfaenv;

constexpr std::string_view kVariable = "MFAENV_FUZZ_VALUE";
constexpr int kTimeoutMs = 10'000;

struct Shell {
  std::string name;
  EnvFormat format;
  pid_t pid = -1;
  int to_shell = -1;    // the paths of the files to source, one per line
  int from_shell = -1;  // what they print
};

std::string scratch_dir() {
  const char* tmp = std::getenv("TMPDIR");
  std::string templ = std::string(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp") + "/mfaenv-fuzz-shell-XXXXXX";
  FUZZ_CHECK(::mkdtemp(templ.data()) != nullptr, "cannot create a scratch folder");
  return templ;
}

std::unique_ptr<Shell> start(const std::string& path, std::vector<std::string> args, EnvFormat format,
                             const std::string& home) {
  if (::access(path.c_str(), X_OK) != 0) return nullptr;
  int in[2], out[2];
  FUZZ_CHECK(::pipe2(in, O_CLOEXEC) == 0 && ::pipe2(out, O_CLOEXEC) == 0, "pipe2 failed");
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in[0], 0);
  posix_spawn_file_actions_adddup2(&actions, out[1], 1);
  args.insert(args.begin(), path);
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::string env_path = "PATH=/usr/bin:/bin", env_locale = "LC_ALL=C.UTF-8", env_home = "HOME=" + home;
  char* envp[] = {env_path.data(), env_locale.data(), env_home.data(), nullptr};
  auto shell = std::make_unique<Shell>();
  shell->name = path;
  shell->format = format;
  FUZZ_CHECK(::posix_spawn(&shell->pid, path.c_str(), &actions, nullptr, argv.data(), envp) == 0, "cannot start a shell");
  posix_spawn_file_actions_destroy(&actions);
  ::close(in[0]);
  ::close(out[1]);
  shell->to_shell = in[1];
  shell->from_shell = out[0];
  return shell;
}

struct Shells {
  std::string dir;
  std::vector<std::unique_ptr<Shell>> all;
  unsigned long counter = 0;

  Shells() : dir(scratch_dir()) {
    ::signal(SIGPIPE, SIG_IGN);  // a shell that died is reported, not a silent exit
    const std::string posix_loop = "while IFS= read -r f; do . \"$f\"; done";
    add(start("/bin/sh", {"-c", posix_loop}, EnvFormat::kSh, dir));
    add(start("/usr/bin/bash", {"--norc", "--noprofile", "-c", posix_loop}, EnvFormat::kSh, dir));
    add(start("/usr/bin/zsh", {"-f", "-c", posix_loop}, EnvFormat::kSh, dir));
    add(start("/usr/bin/fish", {"--no-config", "-c", "while read f; source $f; end"}, EnvFormat::kFish, dir));
  }
  void add(std::unique_ptr<Shell> shell) {
    if (shell) all.push_back(std::move(shell));
  }
  ~Shells() {
    for (auto& shell : all) {
      ::close(shell->to_shell);
      ::close(shell->from_shell);
      ::waitpid(shell->pid, nullptr, 0);
    }
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  }
};

// Everything the shell prints up to its second NUL.
std::string read_two_fields(const Shell& shell) {
  std::string out;
  int nuls = 0;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(kTimeoutMs);
  while (nuls < 2) {
    // libFuzzer's -timeout timer sends SIGALRM, which interrupts poll and read.
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    pollfd p{shell.from_shell, POLLIN, 0};
    const int ready = ::poll(&p, 1, static_cast<int>(std::max<long long>(left.count(), 0)));
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) {
      std::fprintf(stderr, "%s printed nothing for %d s (a quote left open?)\n", shell.name.c_str(), kTimeoutMs / 1000);
      std::abort();
    }
    char buffer[4096];
    const ssize_t n = ::read(shell.from_shell, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      std::fprintf(stderr, "%s exited while sourcing the output\n", shell.name.c_str());
      std::abort();
    }
    for (ssize_t i = 0; i < n; ++i) nuls += buffer[i] == '\0';
    out.append(buffer, static_cast<size_t>(n));
  }
  return out;
}

std::string script_for(EnvFormat format, std::string_view value) {
  std::string script = *render_env(EnvChange{{{std::string(kVariable), std::string(value)}}, {}}, format);
  script += fmt::format("printf '%s\\0' \"${}\"\n", kVariable);
  script += "printf '%s\\0' ";
  if (format == EnvFormat::kFish) {
    append_fish_quoted(script, value);
  } else {
    append_sh_quoted(script, value);
  }
  script += '\n';
  return script;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view value = fuzz::as_text(data, size);
  if (value.find('\0') != std::string_view::npos || value.size() > 16384) return 0;
  static Shells shells;
  FUZZ_CHECK(!shells.all.empty(), "no shell found");

  // A new file per input: a shell that has not yet seen the end of the previous one reads it whole.
  const std::string expected = std::string(value) + '\0' + std::string(value) + '\0';
  std::vector<std::string> paths;
  for (const auto& shell : shells.all) {
    const std::string path = fmt::format("{}/{}", shells.dir, shells.counter++);
    const std::string script = script_for(shell->format, value);
    std::ofstream(path, std::ios::binary).write(script.data(), static_cast<std::streamsize>(script.size()));
    const std::string line = path + "\n";
    ssize_t written;
    do {
      written = ::write(shell->to_shell, line.data(), line.size());
    } while (written < 0 && errno == EINTR);
    FUZZ_CHECK(written == static_cast<ssize_t>(line.size()), "cannot write to a shell");
    paths.push_back(path);
  }
  for (const auto& shell : shells.all) {
    const std::string got = read_two_fields(*shell);
    if (got != expected) {
      std::fprintf(stderr, "%s read back %zu bytes for a value of %zu bytes\n", shell->name.c_str(), got.size(),
                   expected.size());
      std::abort();
    }
  }
  for (const std::string& path : paths) ::unlink(path.c_str());
  return 0;
}

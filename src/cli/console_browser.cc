// The redirect page and the browser launch. A browser command may stay in the foreground for as
// long as the browser runs (the first `firefox`), so it is waited for only briefly: an exit within
// that time with a failure status moves on to the next command; still running means it opened.
#include "cli/console_browser.h"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "crypto/digest.h"
#include "util/file.h"
#include "util/hardening.h"
#include "util/strings.h"
#include "util/subprocess.h"

extern char** environ;

namespace mfaenv {
namespace {

constexpr auto kSigninTokenLifetime = std::chrono::minutes(15);
constexpr auto kBrowserGrace = std::chrono::seconds(3);

std::string html_attribute(std::string_view text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '"': out += "&quot;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      default: out += c;
    }
  }
  return out;
}

void remove_old_pages(const std::string& dir) {
  DIR* d = opendir(dir.c_str());
  if (d == nullptr) return;
  const auto cutoff = std::chrono::system_clock::now() - kSigninTokenLifetime;
  while (const dirent* e = readdir(d)) {
    const std::string_view name = e->d_name;
    if (!name.starts_with("console-") || !name.ends_with(".html")) continue;
    struct stat st {};
    if (fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISREG(st.st_mode)) continue;
    if (std::chrono::system_clock::from_time_t(st.st_mtime) < cutoff) unlinkat(dirfd(d), e->d_name, 0);
  }
  closedir(d);
}

// Runs `/bin/sh -c 'COMMAND'` with the page URL as $1; kOpened when it succeeded or is still running
// after the grace period.
enum class Launch { kOpened, kFailed };
Launch launch(const std::string& command, const std::string& file_url) {
  std::string script = command;
  if (const size_t at = script.find("%s"); at != std::string::npos) {
    script.replace(at, 2, "\"$1\"");
  } else {
    script += " \"$1\"";
  }
  // The browser needs none of the AWS variables of this shell.
  std::vector<std::string> environment =
      current_environment_without([](std::string_view v) { return v.starts_with("AWS_"); });
  std::vector<char*> envp;
  for (auto& e : environment) envp.push_back(e.data());
  envp.push_back(nullptr);
  std::vector<std::string> args = {"sh", "-c", script, "sh", file_url};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, 2, 1);  // its chatter goes to stderr, not into our product
  pid_t pid = -1;
  const SpawnSignalDefaults signal_defaults;
  const int rc = posix_spawn(&pid, "/bin/sh", &actions, signal_defaults.get(), argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) return Launch::kFailed;
  const auto deadline = std::chrono::steady_clock::now() + kBrowserGrace;
  while (std::chrono::steady_clock::now() < deadline) {
    int status = 0;
    const pid_t done = waitpid(pid, &status, WNOHANG);
    if (done == pid) return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? Launch::kOpened : Launch::kFailed;
    if (done < 0) return Launch::kFailed;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return Launch::kOpened;  // still running: a browser in the foreground; it is left to the user
}

}  // namespace

Status open_console_in_browser(const std::string& login_url, const std::string& private_dir) {
  remove_old_pages(private_dir);
  uint8_t random[12];
  if (getrandom(random, sizeof random, 0) != static_cast<ssize_t>(sizeof random))
    return make_error(ErrorKind::kGeneric, "no random bytes for the sign-in page's name; use --url");
  const std::string path = private_dir + "/console-" + to_hex(random, sizeof random) + ".html";
  std::string page = "<!doctype html>\n<meta charset=\"utf-8\">\n<meta name=\"referrer\" content=\"no-referrer\">\n"
                     "<title>mfaenv: AWS console sign-in</title>\n<meta http-equiv=\"refresh\" content=\"0;url=" +
                     html_attribute(login_url) + "\">\n<p><a href=\"" + html_attribute(login_url) +
                     "\">Continue to the AWS console</a> (this page expires with its sign-in token, in 15 minutes)\n";
  auto written = write_file_atomic(path, page, 0600);
  secure_zero(page.data(), page.size());
  MFAENV_CHECK(written);
  const std::string file_url = "file://" + path;
  std::vector<std::string> commands;
  if (auto browser = env("BROWSER"); browser && !trim(*browser).empty()) {
    for (const auto& c : split(*browser, ':'))
      if (!trim(c).empty()) commands.emplace_back(trim(c));
  } else {
    commands.emplace_back("xdg-open");
  }
  for (const auto& command : commands)
    if (launch(command, file_url) == Launch::kOpened) return {};
  unlink(path.c_str());
  return make_error(ErrorKind::kGeneric, "could not open a browser ({} failed); run 'mfaenv console --url' and open "
                    "the URL it prints yourself", env("BROWSER") ? "every command in $BROWSER" : "xdg-open");
}

}  // namespace mfaenv

// Property test of docs/design.md §2 "Output": arbitrary bytes (quotes, newlines, $, backticks,
// backslashes, unicode, invalid UTF-8; never NUL, which no environment value can hold) go through
// every format and are read back by the real consumer: dash, bash, zsh, fish (and pwsh when
// installed) evaluating the output and printing their environment with `env -0`; Python's json for
// JSON; direnv's and python-dotenv's readers for dotenv. One process per reader evaluates all values.
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <fstream>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "output/env_writer.h"
#include "output/json_string.h"

#include "support/temp_dir.h"

namespace mfaenv {
namespace {

namespace fs = std::filesystem;

struct Output {
  int status = -1;
  std::string out;
};

Output run(const std::string& command) {
  Output result;
  FILE* pipe = popen(command.c_str(), "r");
  if (!pipe) return result;
  char buffer[65536];
  size_t n;
  while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) result.out.append(buffer, n);
  const int raw = pclose(pipe);
  result.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  return result;
}

bool have(const std::string& program) { return run("command -v " + program + " >/dev/null 2>&1").status == 0; }

std::string hex(std::string_view bytes) {
  std::string out;
  for (unsigned char c : bytes) out += fmt::format("{:02x}", c);
  return out;
}

void write_file(const fs::path& path, std::string_view text) {
  std::ofstream(path, std::ios::binary).write(text.data(), static_cast<std::streamsize>(text.size()));
}

std::map<std::string, std::string> parse_env0(const std::string& out) {
  std::map<std::string, std::string> env;
  size_t at = 0;
  while (at < out.size()) {
    size_t end = out.find('\0', at);
    if (end == std::string::npos) end = out.size();
    std::string entry = out.substr(at, end - at);
    const size_t eq = entry.find('=');
    if (eq != std::string::npos) env[entry.substr(0, eq)] = entry.substr(eq + 1);
    at = end + 1;
  }
  return env;
}

std::string name(size_t i) { return "MFAENV_T" + std::to_string(i); }

// Hand-written cases first: each a known way to break a quoting rule.
std::vector<std::string> nasty_values() {
  std::vector<std::string> v = {
      "", " ", "'", "''", "'\\''", "\"", "\\", "\\\\", "\\'", "'\\", "a\\", "$HOME", "${HOME}",
      "$(id)", "`id`", "$((1+1))", "!!", "!$", "a\nb", "\n", "\n\n", "trailing\n", "\r\n", "\r",
      "\t", " lead", "trail ", "#comment", "a #b", "a=b", "=", "-n", "-e", "--", "*", "?", "[a]",
      "~", "~root", "{a,b}", "%s%n", "\x01\x02\x1b[31m", "\x7f", "\x0b\x0c\x1c\x1d\x1e\x1f",
      "é", "€", "\xf0\x9f\x98\x80", "\xe2\x80\x98quoted\xe2\x80\x99", "\xe2\x80\x9a\xe2\x80\x9b",
      "\xe2\x80\xa8\xe2\x80\xa9", "\xc2\x85", "\xef\xbb\xbf", "\xef\x98\x80\xef\x9b\xbf",
      "\x80", "\xff\xfe", "\xc3", "\xe2\x82", "\xed\xa0\x80", "\xc0\xaf", "\xf4\x90\x80\x80",
      "a\\nb", "a\\rb", "\\$HOME", "\\${HOME}", "$", "a$", "$$", "${", "}", "\"'\"'", "\\\"",
      "it's a \"test\" $USER `x` \\n", "AKIA+/=:@,%-_.", "us-east-1", "2026-11-23T18:00:00Z",
      "set -e X; echo pwned", "'; echo pwned; '", "\"; echo pwned; \"", "$Env:PATH", "@'\n'@",
      "\\'\\\\'", "%PATH%", "\xc3\xa9\xff$x\n'",
  };
  std::string token;  // a session-token-sized value
  for (int i = 0; i < 120; ++i) token += "IQoJb3JpZ2luX2VjE+/=";
  v.push_back(token);
  return v;
}

// Half the values are text (valid UTF-8, as profile names and regions are), half any bytes.
std::vector<std::string> random_values(unsigned seed, size_t count) {
  static const std::vector<std::string> text_atoms = {
      "a", "Z", "0", "_", "-", " ", "  ", "'", "\"", "\\", "$", "`", "!", "#", "{", "}", "(", ")",
      "*", "?", "[", "]", "~", "&", ";", "|", "<", ">", "=", ":", "%", "@", "^", "\n", "\r", "\t",
      "\x01", "\x1b", "\x7f", "n", "r", "HOME", "é", "€", "\xf0\x9f\x98\x80", "\xe2\x80\x99",
      "\xe2\x80\x98", "\xe2\x80\xa8", "\xef\x98\x80", "\\n", "\\'", "'\\''", "${", "$(",
  };
  static const std::vector<std::string> byte_atoms = {
      "\x80", "\xbf", "\xc3", "\xe2\x82", "\xff", "\xed\xa0\x80", "\xf4\x90\x80\x80", "\xc0\xaf",
  };
  std::mt19937 rng(seed);
  std::vector<std::string> values;
  for (size_t i = 0; i < count; ++i) {
    const bool text_only = i % 2 == 0;
    std::string value;
    const int length = std::uniform_int_distribution<int>(0, 24)(rng);
    for (int j = 0; j < length; ++j) {
      const unsigned pick = rng() % 8;
      if (!text_only && pick == 0) {
        value += static_cast<char>(1 + rng() % 255);  // any byte but NUL
      } else if (!text_only && pick == 1) {
        value += byte_atoms[rng() % byte_atoms.size()];
      } else {
        value += text_atoms[rng() % text_atoms.size()];
      }
    }
    values.push_back(value);
  }
  return values;
}

class RoundTrip : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* seed_text = std::getenv("MFAENV_TEST_SEED");
    seed_ = seed_text ? static_cast<unsigned>(std::strtoul(seed_text, nullptr, 10)) : 20261123u;
    values_ = nasty_values();
    for (auto& v : random_values(seed_, 300)) values_.push_back(std::move(v));
    for (size_t i = 0; i < values_.size(); ++i) change_.set.emplace_back(name(i), values_[i]);
    change_.unset = {"MFAENV_GONE1", "MFAENV_GONE2"};

    ASSERT_TRUE(tmp_.ok());
    std::string hexes;
    for (const auto& v : values_) hexes += hex(v) + "\n";
    write_file(dir_ / "values.hex", hexes);
  }

  // dotenv refuses values that need double quotes (no form of them is inert when sourced by sh):
  // the variables it can hold, and a skip() for the rest.
  EnvChange dotenv_change() const {
    EnvChange change;
    for (size_t i = 0; i < values_.size(); ++i)
      if (dotenv_can_hold(i)) change.set.emplace_back(name(i), values_[i]);
    return change;
  }
  bool dotenv_can_hold(size_t i) const {
    std::string ignored;
    return append_dotenv_value(ignored, values_[i]);
  }

  // A clean environment holding two variables the output must unset.
  std::string clean_env() const {
    return fmt::format("cd '{}' && env -i PATH=/usr/local/bin:/usr/bin:/bin HOME='{}' MFAENV_GONE1=stale MFAENV_GONE2=stale ",
                       dir_.string(), dir_.string());
  }

  // Compares what `env -0` printed with the values; `skip(i)` leaves out documented exceptions.
  void expect_environment(const std::string& reader, const Output& result,
                          const std::function<bool(size_t)>& skip = nullptr, bool check_unset = true) {
    ASSERT_EQ(result.status, 0) << reader << " failed";
    auto env = parse_env0(result.out);
    int failures = 0;
    size_t checked = 0;
    for (size_t i = 0; i < values_.size(); ++i) {
      if (skip && skip(i)) continue;
      ++checked;
      auto it = env.find(name(i));
      if (it == env.end() || it->second != values_[i]) {
        if (++failures <= 8) {
          ADD_FAILURE() << reader << ": value " << i << " (hex " << hex(values_[i]) << ") read back as "
                        << (it == env.end() ? std::string("<unset>") : "hex " + hex(it->second))
                        << " (seed " << seed_ << ")";
        }
      }
    }
    EXPECT_EQ(failures, 0) << reader << ": " << failures << " of " << checked << " values differ";
    // A third: dotenv holds only the values that need no double quotes (about 45% of these).
    EXPECT_GT(checked, values_.size() / 3) << reader << " checked too few values";
    if (check_unset) {
      EXPECT_EQ(env.count("MFAENV_GONE1") + env.count("MFAENV_GONE2"), 0u) << reader << " did not unset";
    }
  }

  unsigned seed_ = 0;
  std::vector<std::string> values_;
  EnvChange change_;
  testing_support::TempDir tmp_{"mfaenv-roundtrip"};
  const fs::path dir_ = tmp_.path();
};

TEST_F(RoundTrip, ShDashBashZsh) {
  write_file(dir_ / "env.sh", *render_env(change_, EnvFormat::kSh));
  const std::vector<std::pair<std::string, std::string>> shells = {
      {"dash", "dash"}, {"bash", "bash --norc --noprofile"}, {"zsh", "zsh -f"}};
  for (const auto& [shell, command] : shells) {
    ASSERT_TRUE(have(shell)) << shell << " is not installed: run scripts/bootstrap";
    // As a user does it: eval "$(mfaenv env)".
    expect_environment(shell, run(clean_env() + command + R"SH( -c 'eval "$(cat env.sh)" && exec env -0')SH"));
  }
}

TEST_F(RoundTrip, Fish) {
  ASSERT_TRUE(have("fish")) << "fish is not installed: run scripts/bootstrap";
  write_file(dir_ / "env.fish", *render_env(change_, EnvFormat::kFish));
  // As a user does it: mfaenv env --format fish | source.
  expect_environment("fish", run(clean_env() + "fish --no-config -c 'cat env.fish | source; and command env -0'"));
}

TEST_F(RoundTrip, PowerShell) {
  if (!have("pwsh")) GTEST_SKIP() << "pwsh is not installed (Debian has no package); PowerShell output is unchecked";
  write_file(dir_ / "env.ps1", *render_env(change_, EnvFormat::kPowershell));
  const Output result = run(clean_env() + R"SH(pwsh -NoProfile -NonInteractive -Command '. ./env.ps1; )SH"
                         R"SH($o = [Console]::OpenStandardOutput(); Get-ChildItem Env: | ForEach-Object { )SH"
                         R"SH($b = [Text.Encoding]::UTF8.GetBytes($_.Name + "=" + $_.Value + [char]0); $o.Write($b, 0, $b.Length) }')SH");
  // .NET strings are UTF-16: invalid UTF-8 cannot come through; an empty value removes the variable.
  expect_environment("pwsh", result, [&](size_t i) { return !is_valid_utf8(values_[i]) || values_[i].empty(); });
}

TEST_F(RoundTrip, JsonByPython) {
  write_file(dir_ / "env.json", *render_env(change_, EnvFormat::kJson));
  const std::string script = std::string(std::getenv("MFAENV_SOURCE_DIR") ? std::getenv("MFAENV_SOURCE_DIR") : "..") +
                             "/tests/output/read_back.py";
  const Output result = run(clean_env() + "/usr/bin/python3 '" + script + "' json env.json values.hex 2>&1");
  EXPECT_EQ(result.status, 0) << result.out << " (seed " << seed_ << ")";
}

TEST_F(RoundTrip, DotenvByPythonDotenv) {
  ASSERT_EQ(run("/usr/bin/python3 -c 'import dotenv' 2>/dev/null").status, 0)
      << "python3-dotenv is not installed: run scripts/bootstrap";
  write_file(dir_ / "env.dotenv", *render_env(dotenv_change(), EnvFormat::kDotenv));
  const std::string script = std::string(std::getenv("MFAENV_SOURCE_DIR") ? std::getenv("MFAENV_SOURCE_DIR") : "..") +
                             "/tests/output/read_back.py";
  const Output result = run(clean_env() + "/usr/bin/python3 '" + script + "' dotenv env.dotenv values.hex 2>&1");
  EXPECT_EQ(result.status, 0) << result.out << " (seed " << seed_ << ")";
}

TEST_F(RoundTrip, DotenvByDirenv) {
  ASSERT_TRUE(have("direnv")) << "direnv is not installed: run scripts/bootstrap";
  write_file(dir_ / "env.dotenv", *render_env(dotenv_change(), EnvFormat::kDotenv));
  expect_environment("direnv dotenv", run(clean_env() + R"SH(bash --norc -c 'eval "$(direnv dotenv bash env.dotenv)" && exec env -0')SH"),
                     [&](size_t i) { return !dotenv_can_hold(i); }, /*check_unset=*/false);
}

// Issue 13, defect 9: people `set -a; . file` a dotenv file. Every value dotenv writes must read
// back exactly in sh and run nothing; a value that would need double quotes is refused instead.
TEST_F(RoundTrip, DotenvSourcedByShIsInert) {
  EnvChange change = dotenv_change();
  const std::string marker = (dir_ / "ran").string();
  for (const std::string& attack : {"$(touch " + marker + ")", "`touch " + marker + "`", std::string("${HOME}$(id)"),
                                    "a\"b$(touch " + marker + ")\"", "x'$(touch " + marker + ")'"}) {
    std::string ignored;
    if (append_dotenv_value(ignored, attack)) change.set.emplace_back("MFAENV_ATTACK" + std::to_string(change.set.size()), attack);
    else EXPECT_FALSE(render_env(EnvChange{{{"V", attack}}, {}}, EnvFormat::kDotenv).ok()) << attack;
  }
  write_file(dir_ / "env.dotenv", *render_env(change, EnvFormat::kDotenv));
  for (const std::string shell : {"dash", "bash --norc --noprofile", "zsh -f"}) {
    expect_environment(shell + " set -a; .", run(clean_env() + shell + R"SH( -c 'set -a; . ./env.dotenv && exec env -0')SH"),
                       [&](size_t i) { return !dotenv_can_hold(i); }, /*check_unset=*/false);
    EXPECT_FALSE(fs::exists(marker)) << shell << " ran a command from the dotenv file";
  }
}

}  // namespace
}  // namespace mfaenv

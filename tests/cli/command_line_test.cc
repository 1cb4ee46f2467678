// The fast parser: what it reads from a command line, and the one-line usage errors (exit 2) it
// gives for the mistakes people make, with the suggestion a user would type next.
#include <gtest/gtest.h>

#include <initializer_list>
#include <string>
#include <vector>

#include "cli/command_line.h"

namespace mfaenv {
namespace {

Result<CommandLine> parse(std::initializer_list<const char*> words) {
  std::vector<const char*> argv{"mfaenv"};
  argv.insert(argv.end(), words.begin(), words.end());
  return parse_command_line(static_cast<int>(argv.size()), argv.data());
}

std::string error_of(std::initializer_list<const char*> words) {
  auto line = parse(words);
  if (line.ok()) return "(parsed)";
  EXPECT_EQ(line.error().kind, ErrorKind::kUsage);
  return line.error().message;
}

TEST(CommandLine, ReadsFlagsPositionalsAndTrailingWords) {
  auto line = parse({"--debug", "exec", "alice", "--no-prompt", "--profile=bob", "--", "aws", "--version"});
  ASSERT_TRUE(line.ok()) << line.error().message;
  EXPECT_EQ(line->command->path, "exec");
  EXPECT_TRUE(line->debug);
  EXPECT_TRUE(line->has("--no-prompt"));
  EXPECT_EQ(line->value("--profile"), "bob");
  EXPECT_EQ(line->positional(0), "alice");
  EXPECT_EQ(line->trailing, (std::vector<std::string>{"aws", "--version"}));
  EXPECT_EQ(line->cli11_argc, 6);  // argv before "--"
}

TEST(CommandLine, FlagValueAsTheNextWordOrAfterEquals) {
  auto line = parse({"env", "--format", "json", "alice"});
  ASSERT_TRUE(line.ok());
  EXPECT_EQ(line->value("--format"), "json");
  EXPECT_EQ(line->positional(0), "alice");
  EXPECT_EQ(parse({"env", "--format=fish"})->value("--format", "sh"), "fish");
  EXPECT_EQ(parse({"env"})->value("--format", "sh"), "sh");
}

TEST(CommandLine, DashAndNegativeNumbersAreValues) {
  auto line = parse({"config", "set", "mfaenv_note", "-"});
  ASSERT_TRUE(line.ok()) << line.error().message;
  EXPECT_EQ(line->positional(1), "-");
  line = parse({"config", "set", "offset", "-5"});
  ASSERT_TRUE(line.ok()) << line.error().message;
  EXPECT_EQ(line->positional(1), "-5");
}

TEST(CommandLine, SubcommandsAndRepeatableFlags) {
  auto line = parse({"policy", "simulate", "p.json", "--action", "s3:ListBucket", "--context", "a=1", "--context", "b=2"});
  ASSERT_TRUE(line.ok()) << line.error().message;
  EXPECT_EQ(line->command->path, "policy simulate");
  EXPECT_EQ(line->flags.size(), 3u);
}

TEST(CommandLine, HelpAndVersion) {
  EXPECT_EQ(parse({"env", "--help"})->wants, Wants::kHelp);
  EXPECT_EQ(parse({"-h"})->wants, Wants::kHelp);
  EXPECT_EQ(parse({"policy", "check", "-h"})->wants, Wants::kHelp);  // FILE is not needed for help
  EXPECT_EQ(parse({"--version"})->wants, Wants::kVersion);
  EXPECT_EQ(error_of({"env", "--version"}), "unknown flag '--version' for 'mfaenv env'");
}

TEST(CommandLine, UnknownCommandSuggestsTheClosest) {
  EXPECT_EQ(error_of({"lgin"}), "unknown command 'lgin'; did you mean 'login'?");
  EXPECT_EQ(error_of({"credentail-process"}), "unknown command 'credentail-process'; did you mean 'credential-process'?");
  EXPECT_EQ(error_of({"cred"}), "unknown command 'cred'; did you mean 'credential-process'?");
  EXPECT_EQ(error_of({"frobnicate"}), "unknown command 'frobnicate'; 'mfaenv --help' lists the commands");
  EXPECT_EQ(error_of({"config", "gte"}), "unknown command 'gte' for 'mfaenv config'; did you mean 'get'?");
  EXPECT_EQ(error_of({"policy", "zzz"}), "unknown command 'zzz' for 'mfaenv policy'; it has generate, check, simulate, sync");
}

TEST(CommandLine, UnknownFlagSuggestsTheClosest) {
  EXPECT_EQ(error_of({"env", "--formt", "json"}), "unknown flag '--formt' for 'mfaenv env'; did you mean '--format'?");
  EXPECT_EQ(error_of({"login", "--no-promt"}), "unknown flag '--no-promt' for 'mfaenv login'");
  EXPECT_EQ(error_of({"exec", "--noprompt"}), "unknown flag '--noprompt' for 'mfaenv exec'; did you mean '--no-prompt'?");
  EXPECT_EQ(error_of({"--degub", "env"}), "unknown flag '--degub' for 'mfaenv'; did you mean '--debug'?");
}

TEST(CommandLine, ExecWithoutDashDashShowsTheFixedLine) {
  EXPECT_EQ(error_of({"exec", "alice", "aws", "sts", "get-caller-identity"}),
            "put '--' before the command to run: mfaenv exec alice -- aws sts get-caller-identity");
  EXPECT_EQ(error_of({"exec", "alice", "terraform", "plan", "--out=x"}),
            "put '--' before the command to run: mfaenv exec alice -- terraform plan --out=x");
}

TEST(CommandLine, MissingAndExtraWords) {
  EXPECT_EQ(error_of({}), "no command given; 'mfaenv --help' lists the commands");
  EXPECT_EQ(error_of({"config"}), "'mfaenv config' needs a command: get, set, list, profiles");
  EXPECT_EQ(error_of({"policy", "check"}), "'mfaenv policy check' needs FILE: mfaenv policy check FILE [OPTIONS]");
  EXPECT_EQ(error_of({"policy", "simulate", "p.json"}), "'mfaenv policy simulate' needs --action <ACTION>");
  EXPECT_EQ(error_of({"env", "--format"}), "--format needs a value: --format <FORMAT>");
  EXPECT_EQ(error_of({"env", "--format", "sh", "--format", "fish"}), "--format is given twice; give it once");
  EXPECT_EQ(error_of({"env", "--no-prompt=yes"}), "--no-prompt takes no value: write --no-prompt alone");
  EXPECT_EQ(error_of({"status", "alice", "bob"}),
            "'mfaenv status' takes 1 argument, 'bob' is one too many; usage: mfaenv status [PROFILE] [OPTIONS]");
  EXPECT_EQ(error_of({"config", "profiles", "x"}),
            "'mfaenv config profiles' takes no argument 'x'; usage: mfaenv config profiles [OPTIONS]");
  EXPECT_EQ(error_of({"env", "alice", "--", "ls"}), "'mfaenv env' runs no command: remove '-- ls'");
}

TEST(CommandLine, ClosestWord) {
  EXPECT_EQ(closest_word("lgoin", {"login", "logout"}), "login");  // a swap is one edit
  EXPECT_EQ(closest_word("xyz", {"login", "logout"}), "");
  EXPECT_EQ(closest_word("lo", {"login", "logout"}), "");  // prefix of two: no guess
}

}  // namespace
}  // namespace mfaenv

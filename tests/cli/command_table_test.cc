// The command table is the one description of the command line: CLI11's tree must have exactly
// its commands, flags and positionals (a flag added on one side only fails here), every listed
// command must be documented (summary, help, example), and the values it documents must be
// accepted by the code that reads them.
#include <gtest/gtest.h>

#include <set>
#include <string>

#include <nlohmann/json.hpp>

#include "cli/command.h"
#include "cli/command_table.h"
#include "cli/completion_scripts.h"
#include "output/env_writer.h"
#include "output/hook_scripts.h"

namespace mfaenv {
namespace {

std::string path_of(const CLI::App* app) {
  std::string path;
  for (; app->get_parent() != nullptr; app = app->get_parent()) path = path.empty() ? app->get_name() : app->get_name() + " " + path;
  return path;
}

void collect(const CLI::App* app, std::vector<const CLI::App*>& out) {
  for (const auto* sub : app->get_subcommands({})) {
    out.push_back(sub);
    collect(sub, out);
  }
}

class CommandTable : public testing::Test {
 protected:
  void SetUp() override {
    app_ = build_app(action_);
    collect(app_.get(), commands_);
  }
  CommandAction action_;
  std::unique_ptr<CLI::App> app_;
  std::vector<const CLI::App*> commands_;
};

TEST_F(CommandTable, EveryCli11CommandIsInTheTableAndViceVersa) {
  std::set<std::string> cli11, table;
  for (const auto* c : commands_) cli11.insert(path_of(c));
  for (const auto& c : command_table()) table.insert(std::string(c.path));
  EXPECT_EQ(cli11, table);
}

TEST_F(CommandTable, Cli11FlagsAndPositionalsMatchTheTable) {
  for (const auto* c : commands_) {
    const auto path = path_of(c);
    const CommandSpec* spec = find_command(path);
    ASSERT_NE(spec, nullptr) << path;
    std::set<std::string> cli11_flags, cli11_positionals, table_flags, table_positionals;
    for (const auto* option : c->get_options()) {
      const std::string name = option->get_name(false, false);
      if (name == "--help" || name == "-h" || option->get_lnames() == std::vector<std::string>{"help"}) continue;
      if (option->get_positional()) {
        cli11_positionals.insert(option->get_name());
        const PositionalSpec* p = nullptr;
        for (const auto& candidate : spec->positionals) {
          if (candidate.name == option->get_name()) p = &candidate;
        }
        ASSERT_NE(p, nullptr) << path << " " << option->get_name();
        if (spec->parsing == Parsing::kCli11) {
          EXPECT_EQ(option->get_required(), p->occurs == Occurs::kRequired) << path << " " << p->name;
        }
      } else {
        const std::string flag = "--" + option->get_lnames().front();
        cli11_flags.insert(flag);
        const FlagSpec* f = find_flag(spec, flag);
        ASSERT_NE(f, nullptr) << path << " " << flag;
        EXPECT_EQ(option->get_expected_min() != 0, f->takes_value()) << path << " " << flag;
        if (spec->parsing == Parsing::kCli11) {
          EXPECT_EQ(option->get_required(), f->occurs == Occurs::kRequired) << path << " " << flag;
        }
      }
    }
    for (const auto& f : spec->flags) table_flags.insert(std::string(f.name));
    for (const auto& p : spec->positionals) table_positionals.insert(std::string(p.name));
    EXPECT_EQ(cli11_flags, table_flags) << path;
    EXPECT_EQ(cli11_positionals, table_positionals) << path;
  }
}

TEST_F(CommandTable, HelpComesFromTheTable) {
  const auto* env = app_->get_subcommand("env");
  const std::string help = env->help();
  EXPECT_NE(help.find("Usage: mfaenv env [PROFILE] [OPTIONS]"), std::string::npos) << help;
  EXPECT_NE(help.find("--format <FORMAT>"), std::string::npos) << help;
  EXPECT_NE(help.find("Examples:\n  eval \"$(mfaenv env alice)\""), std::string::npos) << help;
  const std::string exec = app_->get_subcommand("exec")->help();
  EXPECT_NE(exec.find("Usage: mfaenv exec [PROFILE] [OPTIONS] [-- COMMAND [ARGS...]]"), std::string::npos) << exec;
  const std::string login = app_->get_subcommand("login")->help();
  EXPECT_NE(login.find("--duration <DURATION>"), std::string::npos) << login;
}

TEST(CommandTableData, EveryListedCommandIsDocumented) {
  for (const auto& c : command_table()) {
    EXPECT_FALSE(c.summary.empty()) << c.path;
    if (c.visibility == Visibility::kListed) {
      EXPECT_FALSE(c.examples.empty()) << c.path << " has no example";
    }
    for (const auto& e : c.examples) {
      const bool names_mfaenv = e.command.find("mfaenv " + std::string(c.path)) != std::string_view::npos;
      EXPECT_TRUE(names_mfaenv) << c.path << ": example does not run the command: " << e.command;
    }
    for (const auto& f : c.flags) {
      EXPECT_TRUE(f.name.starts_with("--")) << c.path << " " << f.name;
      EXPECT_FALSE(f.help.empty()) << c.path << " " << f.name;
      if (f.takes_value()) {
        EXPECT_TRUE(f.placeholder.starts_with("<") && f.placeholder.ends_with(">")) << c.path << " " << f.name;
      }
      if (f.completes == Completes::kChoice) {
        EXPECT_FALSE(f.choices.empty()) << c.path << " " << f.name;
      }
    }
    for (const auto& p : c.positionals) EXPECT_FALSE(p.help.empty()) << c.path << " " << p.name;
  }
}

TEST(CommandTableData, DocumentedValuesAreAccepted) {
  for (auto format : find_flag(find_command("env"), "--format")->choices) {
    EXPECT_TRUE(parse_env_format(format).ok()) << format;
  }
  for (auto shell : find_command("hook")->positionals[0].choices) EXPECT_TRUE(parse_hook_shell(shell).ok()) << shell;
  for (auto shell : find_command("completion")->positionals[0].choices) {
    EXPECT_TRUE(parse_completion_shell(shell).ok()) << shell;
  }
}

TEST(CommandTableData, UsageLineShowsWhatTheCommandTakes) {
  EXPECT_EQ(usage_line(*find_command("policy simulate")), "mfaenv policy simulate FILE --action <ACTION> [OPTIONS]");
  EXPECT_EQ(usage_line(*find_command("config")), "mfaenv config COMMAND [OPTIONS]");
  EXPECT_EQ(usage_line(*find_command("config set")), "mfaenv config set KEY VALUE [OPTIONS]");
}

TEST(CommandTableJson, HasTheDocumentedShape) {
  const auto root = nlohmann::json::parse(command_table_json("9.9.9"));
  EXPECT_EQ(root["version"], "9.9.9");
  ASSERT_EQ(root["commands"].size(), command_table().size());
  const auto& env = root["commands"][1];
  EXPECT_EQ(env["path"], "env");
  EXPECT_EQ(env["parent"], "");
  EXPECT_EQ(env["fast"], true);
  EXPECT_EQ(env["hidden"], false);
  EXPECT_EQ(env["usage"], "mfaenv env [PROFILE] [OPTIONS]");
  EXPECT_EQ(env["positionals"][0]["name"], "PROFILE");
  EXPECT_EQ(env["positionals"][0]["completes"], "profile");
  const auto& format = env["flags"][1];
  EXPECT_EQ(format["name"], "--format");
  EXPECT_EQ(format["placeholder"], "<FORMAT>");
  EXPECT_EQ(format["choices"], nlohmann::json({"sh", "fish", "powershell", "json", "dotenv"}));
  EXPECT_EQ(format["default"], "sh");
  EXPECT_TRUE(env["flags"][2]["placeholder"].is_null());  // --no-prompt is a switch
  EXPECT_FALSE(env["examples"].empty());
  bool exec_trailing = false;
  for (const auto& c : root["commands"]) {
    if (c["path"] == "exec") exec_trailing = c["trailing"] == "COMMAND [ARGS...]";
    if (c["path"] == "config") {
      EXPECT_EQ(c["subcommands"], nlohmann::json({"get", "set", "list", "profiles"}));
    }
  }
  EXPECT_TRUE(exec_trailing);
}

}  // namespace
}  // namespace mfaenv

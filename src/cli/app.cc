// CLI11's command tree for the commands it parses, and for everyone's --help: every command of the
// table, declared by its own file (or, for the fast commands, from the table alone), then given
// the table's help texts, placeholders, usage line and examples.
#include <fmt/format.h>

#include "cli/command.h"
#include "cli/command_table.h"

#ifndef MFAENV_VERSION
#define MFAENV_VERSION "0.0.0"
#endif

namespace mfaenv {

namespace {

std::string app_path(const CLI::App* app) {
  std::string path;
  for (; app != nullptr && app->get_parent() != nullptr; app = app->get_parent()) {
    path = path.empty() ? app->get_name() : app->get_name() + " " + path;
  }
  return path;
}

// Usage lines from the table (`mfaenv exec [PROFILE] [OPTIONS] [-- COMMAND [ARGS...]]`).
class TableFormatter : public CLI::Formatter {
 public:
  std::string make_usage(const CLI::App* app, std::string name) const override {
    if (app->get_parent() == nullptr) return "Usage: mfaenv COMMAND [ARGS...] [OPTIONS]\n";
    if (const auto* spec = find_command(app_path(app))) return fmt::format("Usage: {}\n", usage_line(*spec));
    return CLI::Formatter::make_usage(app, std::move(name));
  }
};

std::string footer_text(const CommandSpec& spec) {
  std::string out(spec.notes);
  if (!spec.examples.empty()) {
    if (!out.empty()) out += "\n\n";
    out += "Examples:";
    for (const auto& example : spec.examples) out += fmt::format("\n  {}\n      {}", example.command, example.says);
  }
  if (!out.empty()) out += "\n";
  return out;
}

// A fast command as CLI11 needs it for --help: its flags, bound to nothing.
void add_help_only_command(CLI::App& app, const CommandSpec& spec) {
  auto* cmd = app.add_subcommand(std::string(spec.name()));
  for (const auto& positional : spec.positionals) cmd->add_option(std::string(positional.name));
  for (const auto& flag : spec.flags) {
    if (flag.takes_value()) {
      cmd->add_option(std::string(flag.name));
    } else {
      cmd->add_flag(std::string(flag.name));
    }
  }
}

void apply_table(CLI::App& app, const std::shared_ptr<CLI::FormatterBase>& formatter) {
  app.formatter(formatter);
  const CommandSpec* spec = find_command(app_path(&app));
  if (spec != nullptr) {
    app.description(std::string(spec->summary));
    app.footer(footer_text(*spec));
    if (spec->visibility == Visibility::kHidden) app.group("");
    for (auto* option : app.get_options()) {
      const std::string name = option->get_name(false, true);
      if (option->get_positional()) {
        for (const auto& positional : spec->positionals) {
          if (positional.name == option->get_name()) option->description(std::string(positional.help))->type_name("");
        }
      } else if (const auto* flag = find_flag(spec, option->get_name(false, false))) {
        option->description(std::string(flag->help))->type_name(std::string(flag->placeholder));
      }
    }
  }
  for (auto* sub : app.get_subcommands({})) apply_table(*sub, formatter);
}

}  // namespace

std::unique_ptr<CLI::App> build_app(CommandAction& run) {
  auto app = std::make_unique<CLI::App>(
      "mfaenv turns long-term AWS keys plus an MFA code into short-lived credentials for shells, "
      "programs and SDKs, and keeps them exactly as long as your IAM policy allows.",
      "mfaenv");
  app->set_version_flag("--version", "mfaenv " MFAENV_VERSION);
  app->set_help_flag("-h,--help", std::string(find_flag(nullptr, "--help")->help));
  app->require_subcommand(1);
  // --debug may come before or after the command (`mfaenv --debug env`, `mfaenv env --debug`);
  // the fast parser has already read it.
  app->add_flag("--debug")->description(std::string(find_flag(nullptr, "--debug")->help));
  app->fallthrough();
  app->footer(
      "Profiles come from ~/.aws/config and ~/.aws/credentials (AWS_CONFIG_FILE, "
      "AWS_SHARED_CREDENTIALS_FILE).\nRun 'mfaenv COMMAND --help' for a command's options and examples.");

  add_login_command(*app, run);
  for (const auto& spec : command_table()) {
    if (spec.parsing == Parsing::kFast && spec.parent().empty()) add_help_only_command(*app, spec);
  }
  add_serve_command(*app, run);
  add_whoami_command(*app, run);
  add_status_command(*app, run);
  add_logout_command(*app, run);
  add_config_command(*app, run);
  add_hook_command(*app, run);
  add_policy_command(*app, run);
  add_keys_command(*app, run);
  add_mfa_command(*app, run);
  add_console_command(*app, run);
  add_completion_command(*app, run);
  apply_table(*app, std::make_shared<TableFormatter>());
  return app;
}

}  // namespace mfaenv

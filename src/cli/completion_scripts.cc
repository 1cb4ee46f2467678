// The completion scripts of completion_scripts.h. All three shells walk the words typed so far the
// same way (generated from the table): a word that names a subcommand of the path so far extends
// the path, a flag that takes a value skips the next word, `--` ends mfaenv's words (exec's
// command follows), any other word is the next positional. What to offer is then looked up by
// "PATH|FLAG" (a flag's value) or "PATH|N" (the Nth positional, or a subcommand at 0).
#include "cli/completion_scripts.h"

#include <fmt/format.h>

#include "cli/command_table.h"

namespace mfaenv {

namespace {

// 'text' for every shell here (fish too): ' becomes '\''.
std::string shell_quoted(std::string_view text) {
  std::string out = "'";
  for (char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::string joined(const std::vector<std::string_view>& words) { return fmt::format("{}", fmt::join(words, " ")); }

// Everything keyed: "PATH|WORD" for a subcommand, "PATH|--flag" for a flag taking a value.
struct Keys {
  std::vector<std::string> subcommands;
  std::vector<std::string> value_flags;
};

Keys keys() {
  Keys out;
  for (const auto& c : command_table()) {
    out.subcommands.push_back(shell_quoted(fmt::format("{}|{}", c.parent(), c.name())));
    for (const auto& f : c.flags) {
      if (f.takes_value()) out.value_flags.push_back(shell_quoted(fmt::format("{}|{}", c.path, f.name)));
    }
  }
  return out;
}

std::vector<std::string_view> flags_of(const CommandSpec* c) {
  std::vector<std::string_view> out;
  if (c != nullptr) {
    for (const auto& f : c->flags) out.push_back(f.name);
  }
  for (const auto& f : global_flags()) {
    if (f.name != "--version" || c == nullptr) out.push_back(f.name);
  }
  return out;
}

std::vector<std::string_view> listed_subcommands(std::string_view parent) {
  std::vector<std::string_view> out;
  for (const auto* c : subcommands_of(parent)) {
    if (c->visibility == Visibility::kListed) out.push_back(c->name());
  }
  return out;
}

// One "what to offer" entry: a key and what it completes to.
struct Offer {
  std::string key;
  Completes completes;
  std::vector<std::string_view> words;  // kChoice (and subcommands)
};

std::vector<Offer> offers() {
  std::vector<Offer> out;
  out.push_back({"|0", Completes::kChoice, listed_subcommands("")});
  for (const auto& c : command_table()) {
    if (has_subcommands(c)) out.push_back({fmt::format("{}|0", c.path), Completes::kChoice, listed_subcommands(c.path)});
    for (size_t i = 0; i < c.positionals.size(); ++i) {
      const auto& p = c.positionals[i];
      out.push_back({fmt::format("{}|{}", c.path, i), p.completes, {p.choices.begin(), p.choices.end()}});
    }
    for (const auto& f : c.flags) {
      if (f.takes_value()) {
        out.push_back({fmt::format("{}|{}", c.path, f.name), f.completes, {f.choices.begin(), f.choices.end()}});
      }
    }
  }
  return out;
}

// The case-statement helpers shared by bash and zsh (same syntax in both).
std::string posix_helpers() {
  const Keys k = keys();
  std::string out;
  out += fmt::format("_mfaenv_subcommand() {{  # PATH WORD: does WORD name a subcommand of PATH?\n"
                     "  case \"$1|$2\" in\n    {}) return 0 ;;\n  esac\n  return 1\n}}\n",
                     fmt::join(k.subcommands, "|"));
  out += fmt::format("_mfaenv_takes_value() {{  # PATH FLAG\n"
                     "  case \"$1|$2\" in\n    {}) return 0 ;;\n  esac\n  return 1\n}}\n",
                     fmt::join(k.value_flags, "|"));
  out += "_mfaenv_flags() {  # PATH\n  case \"$1\" in\n";
  out += fmt::format("    '') echo {} ;;\n", shell_quoted(joined(flags_of(nullptr))));
  for (const auto& c : command_table()) {
    out += fmt::format("    {}) echo {} ;;\n", shell_quoted(c.path), shell_quoted(joined(flags_of(&c))));
  }
  out += "  esac\n}\n";
  return out;
}

// The walk over the words before the cursor: sets cmd_path, npos and after (-1, or the number of
// words after `--`). WORDS/FIRST/LAST name the shell's array and bounds.
std::string posix_walk(std::string_view words, std::string_view first, std::string_view last) {
  return fmt::format(
      "  local cmd_path= npos=0 skip=0 after=-1 i word\n"
      "  for ((i = {first}; i < {last}; i++)); do\n"
      "    word=${{{words}[i]}}\n"
      "    if ((after >= 0)); then ((after++)); continue; fi\n"
      "    if ((skip)); then skip=0; continue; fi\n"
      "    if [[ $word == -- ]]; then after=0; continue; fi\n"
      "    if [[ $word == = ]]; then skip=1; continue; fi  # bash splits --flag=value at =\n"
      "    if [[ $word == -* ]]; then\n"
      "      if [[ $word != *=* && ${{{words}[i+1]}} != = ]] && _mfaenv_takes_value \"$cmd_path\" \"$word\"; then skip=1; fi\n"
      "      continue\n"
      "    fi\n"
      "    if _mfaenv_subcommand \"$cmd_path\" \"$word\"; then cmd_path=${{cmd_path:+$cmd_path }}$word; else ((npos++)); fi\n"
      "  done\n",
      fmt::arg("words", words), fmt::arg("first", first), fmt::arg("last", last));
}

std::string bash_script() {
  std::string out =
      "# bash completion for mfaenv, generated by `mfaenv completion bash` from its command table.\n"
      "# Install: mfaenv completion bash > ~/.local/share/bash-completion/completions/mfaenv\n";
  out += posix_helpers();
  out += "_mfaenv_offer() {  # KEY CUR\n  case \"$1\" in\n";
  for (const auto& o : offers()) {
    std::string action;
    switch (o.completes) {
      case Completes::kChoice: action = fmt::format("COMPREPLY=($(compgen -W {} -- \"$2\"))", shell_quoted(joined(o.words))); break;
      case Completes::kProfile:
        action = "COMPREPLY=($(compgen -W \"$(command mfaenv __complete-profiles 2>/dev/null)\" -- \"$2\"))";
        break;
      case Completes::kFile: action = "compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -f -- \"$2\"))"; break;
      case Completes::kCommand: action = "COMPREPLY=($(compgen -c -- \"$2\"))"; break;
      case Completes::kNothing: action = "COMPREPLY=()"; break;
    }
    out += fmt::format("    {}) {} ;;\n", shell_quoted(o.key), action);
  }
  out += "    *) COMPREPLY=() ;;\n  esac\n}\n";
  out += "_mfaenv() {\n  local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}\n";
  out += posix_walk("COMP_WORDS", "1", "COMP_CWORD");
  out +=
      "  if ((after == 0)); then COMPREPLY=($(compgen -c -- \"$cur\" | sort -u)); return; fi\n"
      "  if ((after > 0)); then compopt -o default 2>/dev/null; COMPREPLY=(); return; fi\n"
      "  if [[ $cur == = ]]; then cur=; elif [[ $prev == = ]]; then prev=${COMP_WORDS[COMP_CWORD-2]}; fi\n"
      "  if [[ $prev == -* ]] && _mfaenv_takes_value \"$cmd_path\" \"$prev\"; then _mfaenv_offer \"$cmd_path|$prev\" \"$cur\"; return; fi\n"
      "  if [[ $cur == -* ]]; then COMPREPLY=($(compgen -W \"$(_mfaenv_flags \"$cmd_path\")\" -- \"$cur\")); return; fi\n"
      "  _mfaenv_offer \"$cmd_path|$npos\" \"$cur\"\n"
      "}\n"
      "complete -F _mfaenv mfaenv\n";
  return out;
}

// "name:description" for zsh's _describe (a ':' in either is escaped).
std::string described(std::string_view name, std::string_view description) {
  std::string out;
  for (char c : name) out += c == ':' ? std::string("\\:") : std::string(1, c);
  out += ':';
  out += description;
  return shell_quoted(out);
}

std::string zsh_script() {
  std::string out =
      "#compdef mfaenv\n"
      "# zsh completion for mfaenv, generated by `mfaenv completion zsh` from its command table.\n"
      "# Install: mfaenv completion zsh > \"${fpath[1]}/_mfaenv\" (any folder in $fpath), then compinit.\n";
  out += posix_helpers();
  out += "_mfaenv_offer() {  # KEY\n  local -a described\n  case \"$1\" in\n";
  for (const auto& o : offers()) {
    std::string action;
    const std::string path = o.key.substr(0, o.key.find('|'));
    const bool subcommands = o.key.ends_with("|0") && [&] {
      const auto* c = find_command(path);
      return path.empty() || (c != nullptr && has_subcommands(*c));
    }();
    if (subcommands) {
      std::vector<std::string> items;
      for (const auto* c : subcommands_of(path)) {
        if (c->visibility == Visibility::kListed) items.push_back(described(c->name(), c->summary));
      }
      action = fmt::format("described=({}); _describe command described", fmt::join(items, " "));
    } else {
      switch (o.completes) {
        case Completes::kChoice: action = fmt::format("compadd -- {}", joined(o.words)); break;
        case Completes::kProfile:
          action = "compadd -- ${(f)\"$(command mfaenv __complete-profiles 2>/dev/null)\"}";
          break;
        case Completes::kFile: action = "_files"; break;
        case Completes::kCommand: action = "_command_names -e"; break;
        case Completes::kNothing: action = "_message 'a value'"; break;
      }
    }
    out += fmt::format("    {}) {} ;;\n", shell_quoted(o.key), action);
  }
  out += "  esac\n}\n";
  out += "_mfaenv_flag_list() {  # PATH: the flags, described\n  local -a described\n  case \"$1\" in\n";
  auto flag_items = [](const CommandSpec* c) {
    std::vector<std::string> items;
    if (c != nullptr) {
      for (const auto& f : c->flags) items.push_back(described(f.name, f.help));
    }
    for (const auto& f : global_flags()) {
      if (f.name != "--version" || c == nullptr) items.push_back(described(f.name, f.help));
    }
    return fmt::format("{}", fmt::join(items, " "));
  };
  out += fmt::format("    '') described=({}) ;;\n", flag_items(nullptr));
  for (const auto& c : command_table()) out += fmt::format("    {}) described=({}) ;;\n", shell_quoted(c.path), flag_items(&c));
  out += "  esac\n  _describe option described\n}\n";
  out += "_mfaenv() {\n  local cur=${words[CURRENT]} prev=${words[CURRENT-1]}\n";
  out += posix_walk("words", "2", "CURRENT");
  out +=
      "  if ((after >= 0)); then\n"
      "    shift $((CURRENT - after - 1)) words; ((CURRENT -= CURRENT - after - 1)); _normal; return\n"
      "  fi\n"
      "  if [[ $cur == --*=* ]]; then local flag=${cur%%=*}; compset -P '*='; _mfaenv_offer \"$cmd_path|$flag\"; return; fi\n"
      "  if [[ $prev == -* ]] && _mfaenv_takes_value \"$cmd_path\" \"$prev\"; then _mfaenv_offer \"$cmd_path|$prev\"; return; fi\n"
      "  if [[ $cur == -* ]]; then _mfaenv_flag_list \"$cmd_path\"; return; fi\n"
      "  _mfaenv_offer \"$cmd_path|$npos\"\n"
      "}\n"
      "if [[ ${zsh_eval_context[-1]} == loadautofunc ]]; then _mfaenv \"$@\"; else compdef _mfaenv mfaenv; fi\n";
  return out;
}

std::string fish_script() {
  const Keys k = keys();
  std::string out =
      "# fish completion for mfaenv, generated by `mfaenv completion fish` from its command table.\n"
      "# Install: mfaenv completion fish > ~/.config/fish/completions/mfaenv.fish\n";
  out += fmt::format("function __mfaenv_subcommand\n    switch \"$argv[1]|$argv[2]\"\n        case {}\n"
                     "            return 0\n    end\n    return 1\nend\n", fmt::join(k.subcommands, " "));
  out += fmt::format("function __mfaenv_takes_value\n    switch \"$argv[1]|$argv[2]\"\n        case {}\n"
                     "            return 0\n    end\n    return 1\nend\n", fmt::join(k.value_flags, " "));
  out +=
      "# PATH|N: the command path typed so far and the number of positionals; --|N after `--`.\n"
      "function __mfaenv_state\n"
      "    set -l cmd_path ''\n    set -l npos 0\n    set -l skip 0\n    set -l after -1\n"
      "    for word in (commandline -opc)[2..-1]\n"
      "        if test $after -ge 0; set after (math $after + 1); continue; end\n"
      "        if test $skip = 1; set skip 0; continue; end\n"
      "        if test \"$word\" = --; set after 0; continue; end\n"
      "        if string match -q -- '-*' $word\n"
      "            if not string match -q -- '*=*' $word; and __mfaenv_takes_value \"$cmd_path\" $word; set skip 1; end\n"
      "            continue\n"
      "        end\n"
      "        if __mfaenv_subcommand \"$cmd_path\" $word\n"
      "            set cmd_path (string trim -- \"$cmd_path $word\")\n"
      "        else\n"
      "            set npos (math $npos + 1)\n"
      "        end\n"
      "    end\n"
      "    if test $after -ge 0; echo \"--|$after\"; else; echo \"$cmd_path|$npos\"; end\n"
      "end\n"
      "function __mfaenv_at; test (__mfaenv_state) = \"$argv[1]\"; end\n"
      "function __mfaenv_in; string match -q -- \"$argv[1]|*\" (__mfaenv_state); end\n"
      "function __mfaenv_profiles; command mfaenv __complete-profiles 2>/dev/null; end\n"
      "complete -c mfaenv -f\n"
      "complete -c mfaenv -n '__mfaenv_at \"--|0\"' -a '(__fish_complete_command)'\n"
      "complete -c mfaenv -n 'string match -q -- \"--|*\" (__mfaenv_state); and not __mfaenv_at \"--|0\"' -F\n";
  for (const auto& f : global_flags()) {
    const std::string condition = f.name == "--version" ? " -n '__mfaenv_at \"|0\"'" : " -n 'not __mfaenv_in --'";
    out += fmt::format("complete -c mfaenv{} -l {}{} -d {}\n", condition, f.name.substr(2),
                       f.name == "--help" ? " -s h" : "", shell_quoted(f.help));
  }
  for (const auto& c : command_table()) {
    if (c.visibility == Visibility::kListed) {
      out += fmt::format("complete -c mfaenv -n {} -a {} -d {}\n", shell_quoted(fmt::format("__mfaenv_at \"{}|0\"", c.parent())),
                         shell_quoted(c.name()), shell_quoted(c.summary));
    }
    const std::string in = shell_quoted(fmt::format("__mfaenv_in \"{}\"", c.path));
    for (const auto& f : c.flags) {
      std::string values;
      if (f.completes == Completes::kChoice) values = fmt::format(" -x -a {}", shell_quoted(joined({f.choices.begin(), f.choices.end()})));
      if (f.completes == Completes::kProfile) values = " -x -a '(__mfaenv_profiles)'";
      if (f.completes == Completes::kFile) values = " -r -F";
      if (f.completes == Completes::kNothing && f.takes_value()) values = " -x";
      out += fmt::format("complete -c mfaenv -n {} -l {}{} -d {}\n", in, f.name.substr(2), values, shell_quoted(f.help));
    }
    for (size_t i = 0; i < c.positionals.size(); ++i) {
      const auto& p = c.positionals[i];
      const std::string at = shell_quoted(fmt::format("__mfaenv_at \"{}|{}\"", c.path, i));
      if (p.completes == Completes::kChoice) {
        out += fmt::format("complete -c mfaenv -n {} -a {}\n", at, shell_quoted(joined({p.choices.begin(), p.choices.end()})));
      } else if (p.completes == Completes::kProfile) {
        out += fmt::format("complete -c mfaenv -n {} -a '(__mfaenv_profiles)' -d profile\n", at);
      } else if (p.completes == Completes::kFile) {
        out += fmt::format("complete -c mfaenv -n {} -F\n", at);
      }
    }
  }
  return out;
}

}  // namespace

Result<CompletionShell> parse_completion_shell(std::string_view name) {
  if (name == "bash") return CompletionShell::kBash;
  if (name == "zsh") return CompletionShell::kZsh;
  if (name == "fish") return CompletionShell::kFish;
  return make_error(ErrorKind::kUsage, "no completion for shell '{}': use bash, zsh or fish", name);
}

std::string completion_script(CompletionShell shell) {
  switch (shell) {
    case CompletionShell::kBash: return bash_script();
    case CompletionShell::kZsh: return zsh_script();
    case CompletionShell::kFish: break;
  }
  return fish_script();
}

}  // namespace mfaenv

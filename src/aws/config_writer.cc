// Changing one key of one profile in an AWS config or credentials file while keeping every other
// byte: the file is parsed with the reader's own INI parser (so the section changed is the one
// botocore reads), edited line by line, read back to check the change took, and written atomically.
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstring>
#include <cstdlib>
#include <map>
#include <set>

#include "aws/config.h"
#include "aws/ini_file.h"
#include "aws/python_text.h"
#include "aws/section_names.h"
#include "util/file.h"
#include "util/printable.h"

namespace mfaenv {

namespace {

struct Line {
  size_t start = 0;
  size_t end = 0;   // end of the text, before the line break
  size_t next = 0;  // start of the next line
};

// Lines as the parser counts them ("\n", "\r\n" or "\r" ends one); index 0 is line 1.
std::vector<Line> lines_of(std::string_view text) {
  std::vector<Line> lines;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = start;
    while (end < text.size() && text[end] != '\n' && text[end] != '\r') ++end;
    size_t next = end;
    if (next < text.size()) next += (text[next] == '\r' && next + 1 < text.size() && text[next + 1] == '\n') ? 2 : 1;
    lines.push_back({start, end, next});
    start = next;
  }
  return lines;
}

// The file's own line break, so that a CRLF file stays CRLF.
std::string_view line_break_of(std::string_view text) {
  const size_t at = text.find_first_of("\r\n");
  if (at == std::string_view::npos || text[at] == '\n') return "\n";
  return at + 1 < text.size() && text[at + 1] == '\n' ? "\r\n" : "\r";
}

std::string_view leading_space(std::string_view line) {
  return line.substr(0, line.size() - python::lstrip(line).size());
}

bool has_python_line_break(std::string_view s) {
  for (size_t i = 0; i < s.size(); ++i) {
    if (python::line_break_at(s, i) != 0) return true;
  }
  return false;
}

// `line` with the value after its first `delimiters` character replaced; an empty value leaves
// "key =" with nothing after it.
std::string with_value(std::string_view line, std::string_view delimiters, std::string_view value) {
  const std::string_view content = python::strip(line);
  const size_t delimiter = content.find_first_of(delimiters);
  const std::string_view old_value = python::lstrip(content.substr(delimiter + 1));
  const size_t value_start = static_cast<size_t>(old_value.data() - line.data());
  const size_t value_end = static_cast<size_t>(content.data() - line.data()) + content.size();
  if (value.empty()) return std::string(python::rstrip(line.substr(0, value_start)));
  std::string out(line.substr(0, value_start));
  if (old_value.empty()) out += ' ';
  out += value;
  out += line.substr(value_end);
  return out;
}

// A nested key must also stay on its line for str.splitlines(), which breaks at \v, U+2028, ...
Status check_key(std::string_view key, std::string_view what, bool nested) {
  if (key.empty() || python::strip(key) != key || key.find_first_of("=:\r\n") != std::string_view::npos ||
      key[0] == '[' || key[0] == '#' || key[0] == ';' || (nested && has_python_line_break(key))) {
    return make_error(ErrorKind::kUsage,
                      "'{}' cannot be a {} in an AWS config file: it must not be empty, start with '[', '#' or "
                      "';', contain '=', ':' or a line break, or start or end with a space",
                      key, what);
  }
  return {};
}

// Never quotes the value: it may be a secret.
Status check_value(std::string_view value, std::string_view key, bool nested) {
  if (value.find_first_of("\r\n") != std::string_view::npos || (nested && has_python_line_break(value))) {
    return make_error(ErrorKind::kUsage, "the value for '{}' contains a line break, which the AWS config format "
                      "cannot hold", key);
  }
  // The readers (mfaenv's and botocore's) refuse or cut a value at a NUL or another control
  // character; a tab is ordinary white space inside a value.
  if (std::any_of(value.begin(), value.end(), [](unsigned char c) { return (c < 0x20 && c != '\t') || c == 0x7f; })) {
    return make_error(ErrorKind::kUsage, "the value for '{}' contains a NUL or another control character, which the "
                      "AWS config files cannot hold; remove it", key);
  }
  if (python::strip(value) != value) {
    return make_error(ErrorKind::kUsage, "the value for '{}' starts or ends with white space, which the AWS CLI "
                      "and SDKs would strip; remove it", key);
  }
  return {};
}

// "key = value", or "key =" for an empty value.
std::string assignment(std::string_view key, std::string_view value) {
  std::string line(key);
  line += value.empty() ? " =" : " = ";
  line += value;
  return line;
}

enum class ChangeKind { kSet, kRemove };

struct Change {
  ConfigFileKind kind;
  std::string_view profile;
  std::string_view key;
  std::optional<std::string_view> sub_key;
  std::string_view value;
  ChangeKind what = ChangeKind::kSet;
};

// The section botocore reads for the profile: the last one that names it.
const IniSection* section_of(const IniFile& ini, const Change& change) {
  const IniSection* found = nullptr;
  for (const IniSection& s : ini.sections) {
    if (change.kind == ConfigFileKind::kCredentials) {
      if (s.name == change.profile) found = &s;
    } else {
      const SectionMeaning m = classify_config_section(s.name);
      if (m.kind == SectionKind::kProfile && m.name == change.profile) found = &s;
    }
  }
  return found;
}

// The new text of the file, or an error when the file does not parse.
Result<std::string> edit(std::string_view text, const std::string& file, const Change& change) {
  const IniFile ini = MFAENV_TRY(parse_ini(text, file));
  const std::string_view eol = line_break_of(text);
  const std::vector<Line> lines = lines_of(text);
  const auto line_text = [&](int number) {
    const Line& l = lines[static_cast<size_t>(number - 1)];
    return text.substr(l.start, l.end - l.start);
  };
  std::string lowered;
  const std::string_view key = python::lower(change.key, lowered) ? std::string_view(lowered) : change.key;
  // A nested block inherited from [DEFAULT] is replaced whole by one in the section, so a new block
  // starts with the inherited lines (else `set s3.x` would drop the inherited s3 settings).
  std::vector<std::string_view> inherited;
  for (const IniOption& o : ini.defaults.options) {
    if (change.sub_key && o.key == key && o.is_nested()) {
      for (const IniPiece& piece : o.pieces) {
        if (!piece.text.empty()) inherited.push_back(piece.text);
      }
    }
  }
  // The new setting: "key = value", or "key =" and indented "sub_key = value" lines below it.
  const auto setting = [&](std::string_view indent) {
    if (!change.sub_key) return std::string(indent) + assignment(change.key, change.value);
    std::string out = std::string(indent) + assignment(change.key, "");
    for (std::string_view line : inherited) out += std::string(eol) + std::string(indent) + "    " + std::string(line);
    return out + std::string(eol) + std::string(indent) + "    " + assignment(*change.sub_key, change.value);
  };
  const IniSection* section = section_of(ini, change);

  std::map<int, std::string> replaced;
  std::set<int> removed;
  int insert_after = 0;
  std::string inserted;
  std::string appended;
  if (change.what == ChangeKind::kRemove) {
    // The key's line and its continuation lines go; a key that is not there is no change.
    const IniOption* option = nullptr;
    // Not a loop over `section ? section->options : {}`: that copies the options, and `option`
    // would point into the copy after the loop.
    if (section != nullptr) {
      for (const IniOption& o : section->options) {
        if (o.key == key) option = &o;
      }
    }
    if (option == nullptr) return std::string(text);
    removed.insert(option->line);
    for (const IniPiece& piece : option->pieces) {
      if (!piece.text.empty()) removed.insert(piece.line);
    }
  } else if (section == nullptr) {
    const auto header = change.kind == ConfigFileKind::kCredentials ? credentials_section_header(change.profile)
                                                                     : config_section_header(change.profile);
    if (!header) return make_error(ErrorKind::kUsage, "no section header can name a profile called '{}'", change.profile);
    appended = "[" + *header + "]" + std::string(eol) + setting("") + std::string(eol);
  } else {
    const IniOption* option = nullptr;
    for (const IniOption& o : section->options) {
      if (o.key == key) option = &o;
    }
    if (option == nullptr) {
      // After the last setting of the section (and its continuation lines), at the same indent.
      insert_after = section->line;
      std::string_view indent;
      if (section->options.empty()) {
        // Indented no less than the next line, or that line would become part of the new value.
        for (size_t i = static_cast<size_t>(section->line); i < lines.size(); ++i) {
          const std::string_view next = line_text(static_cast<int>(i) + 1);
          const std::string_view content = python::strip(next);
          if (content.empty() || content[0] == '#' || content[0] == ';') continue;
          indent = leading_space(next);
          break;
        }
      } else {
        const IniOption& last = section->options.back();
        indent = leading_space(line_text(last.line));
        insert_after = last.line;
        for (const IniPiece& piece : last.pieces) {
          if (!piece.text.empty()) insert_after = piece.line;
        }
      }
      inserted = setting(indent) + std::string(eol);
    } else if (!change.sub_key || !option->is_nested()) {
      for (size_t i = 1; i < option->pieces.size(); ++i) {
        if (!option->pieces[i].text.empty()) removed.insert(option->pieces[i].line);
      }
      if (!change.sub_key) {
        replaced[option->line] = with_value(line_text(option->line), "=:", change.value);
      } else {
        const std::string_view indent = leading_space(line_text(option->line));
        replaced[option->line] = with_value(line_text(option->line), "=:", "") + std::string(eol) +
                                 std::string(indent) + "    " + assignment(*change.sub_key, change.value);
      }
    } else {
      // A nested block: change the last line that sets sub_key, or add one after the block.
      int found = 0;
      int last_line = option->line;
      for (const IniPiece& piece : option->pieces) {
        if (piece.text.empty()) continue;
        last_line = piece.line;
        const size_t equals = piece.text.find('=');
        if (equals != std::string_view::npos && !has_python_line_break(piece.text) &&
            python::strip(piece.text.substr(0, equals)) == *change.sub_key) {
          found = piece.line;
        }
      }
      if (found != 0) {
        replaced[found] = with_value(line_text(found), "=", change.value);
      } else {
        insert_after = last_line;
        inserted = std::string(leading_space(line_text(last_line))) + assignment(*change.sub_key, change.value) +
                   std::string(eol);
      }
    }
  }

  std::string out;
  out.reserve(text.size() + inserted.size() + appended.size() + 64);
  for (size_t i = 0; i < lines.size(); ++i) {
    const int number = static_cast<int>(i) + 1;
    const Line& l = lines[i];
    if (removed.count(number) != 0) continue;
    if (auto it = replaced.find(number); it != replaced.end()) {
      out += it->second;
      out += text.substr(l.end, l.next - l.end);
    } else {
      out += text.substr(l.start, l.next - l.start);
    }
    if (number == insert_after) {
      if (!out.empty() && out.back() != '\n' && out.back() != '\r') out += eol;
      out += inserted;
    }
  }
  if (!appended.empty()) {
    if (!out.empty() && out.back() != '\n' && out.back() != '\r') out += eol;
    if (!lines.empty()) {
      const Line& last = lines.back();
      if (!python::strip(text.substr(last.start, last.end - last.start)).empty()) out += eol;
    }
    out += appended;
  }
  return out;
}

// Reads the edited text back as botocore would and checks that the change is there.
Status check_reads_back(const std::string& text, const std::string& file, const Change& change) {
  ConfigPaths names{file, file};
  auto config = change.kind == ConfigFileKind::kCredentials ? AwsConfig::parse("", text, names)
                                                            : AwsConfig::parse(text, "", names);
  if (!config.ok()) {
    Error error = std::move(config).error();
    error.message += " (this would follow from the change, so the file was left alone)";
    return error;
  }
  const std::optional<Profile> profile = config->profile(change.profile);
  std::string key(change.key);  // botocore lower-cases keys, not nested keys
  std::string lowered;
  if (python::lower(change.key, lowered)) key = lowered;
  bool ok = false;
  if (change.what == ChangeKind::kRemove) {
    ok = !profile || !profile->get(key);
  } else if (profile && !change.sub_key) {
    ok = profile->get(key) == change.value;
  } else if (profile) {
    const auto block = profile->nested.find(key);
    if (block != profile->nested.end()) {
      const auto entry = block->second.find(std::string(*change.sub_key));
      ok = entry != block->second.end() && entry->second == change.value;
    }
  }
  if (!ok) return make_error(ErrorKind::kGeneric, "{}: the change to '{}' would not read back as written; the file "
                             "was left alone", file, change.key);
  return {};
}

Status make_parent_dirs(const std::string& path) {
  const std::string dir = dirname_of(path);
  if (dir == path || file_type(dir) == FileType::kDirectory) return {};
  MFAENV_CHECK(make_parent_dirs(dir));
  if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) {
    return make_error(ErrorKind::kGeneric, "cannot create the folder {}: {}", dir, std::strerror(errno));
  }
  return {};
}

Status apply_change(const std::string& path, const Change& change) {
  MFAENV_CHECK(check_key(change.key, "key", false));
  if (change.sub_key) MFAENV_CHECK(check_key(*change.sub_key, "nested key", true));
  if (change.what == ChangeKind::kSet)
    MFAENV_CHECK(check_value(change.value, change.sub_key ? *change.sub_key : change.key, change.sub_key.has_value()));

  // A config file that is a symbolic link (dotfile managers) stays one: the target is replaced.
  std::string target = path;
  struct stat st {};
  if (::lstat(path.c_str(), &st) == 0 && S_ISLNK(st.st_mode)) {
    char resolved[PATH_MAX];
    if (::realpath(path.c_str(), resolved) == nullptr) {
      return make_error(ErrorKind::kGeneric, "{} is a symbolic link to a missing file; fix or remove the link", path);
    }
    target = resolved;
  }
  // Read, edit and replace under a lock, as the session cache does: parallel `config set` calls
  // each keep their change instead of the last rename winning. The lock is a file of its own that
  // stays (removing it would let a later writer lock a different file); flock ends with the process.
  MFAENV_CHECK(make_parent_dirs(target));
  auto lock = MFAENV_TRY(LockFile::acquire(target + ".mfaenv-lock", Seconds(30), [&] {
    tell("waiting for another mfaenv that is writing {}...", target);
  }));
  const FileType type = file_type(target);
  if (type == FileType::kDirectory) {
    return make_error(ErrorKind::kGeneric, "{} is a directory, not a file; move it away to write settings there", target);
  }
  if (type == FileType::kOther) {
    return make_error(ErrorKind::kGeneric, "{} is a FIFO, socket or device, not a file; move it away to write settings there",
                      target);
  }
  struct stat file_st {};
  auto read = read_file(target, Symlinks::kFollow, 16 << 20, &file_st);
  if (!read.ok()) return std::move(read).error();
  const bool exists = read->has_value();
  const std::string text = exists ? **read : std::string();

  // A file the reader rejects is left alone, even when this change would happen to repair it: the
  // INI syntax is checked by edit(), but a broken nested block only by the reader.
  const ConfigPaths names{path, path};
  if (auto parsed = change.kind == ConfigFileKind::kCredentials ? AwsConfig::parse("", text, names)
                                                                 : AwsConfig::parse(text, "", names);
      !parsed.ok()) {
    return std::move(parsed).error();
  }
  const std::string edited = MFAENV_TRY(edit(text, path, change));
  MFAENV_CHECK(check_reads_back(edited, path, change));
  if (edited == text) return {};
  if (!exists) MFAENV_CHECK(make_parent_dirs(target));
  const mode_t mode = exists ? (file_st.st_mode & 07777) : 0600;
  return write_file_atomic(target, edited, mode);
}

}  // namespace

Status set_config_value(const std::string& path, std::string_view profile, std::string_view key,
                        std::string_view value, ConfigFileKind kind) {
  return apply_change(path, Change{kind, profile, key, std::nullopt, value});
}

Status remove_config_value(const std::string& path, std::string_view profile, std::string_view key,
                           ConfigFileKind kind) {
  return apply_change(path, Change{kind, profile, key, std::nullopt, {}, ChangeKind::kRemove});
}

Status set_nested_config_value(const std::string& path, std::string_view profile, std::string_view key,
                               std::string_view sub_key, std::string_view value, ConfigFileKind kind) {
  return apply_change(path, Change{kind, profile, key, sub_key, value});
}

}  // namespace mfaenv

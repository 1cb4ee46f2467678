// The INI dialect of the AWS config files: Python's configparser.RawConfigParser as botocore builds
// it (strict, '=' or ':' between key and value, full-line '#'/';' comments only, keys lower-cased,
// values continued on more-indented lines, [DEFAULT] inherited by every section), in one pass over
// the bytes. Used by the reader (config.cc) and by the writer, which needs the line numbers.
#pragma once

#include <deque>
#include <string>
#include <string_view>
#include <vector>

#include "util/result.h"

namespace mfaenv {

// One line of a value: the text after the '=' on the key's line, then each continuation line, and
// "" for each blank line that followed (configparser keeps those until it joins the value).
struct IniPiece {
  std::string_view text;
  int line = 0;
};

struct IniOption {
  std::string_view key;  // lower-cased as configparser's optionxform does
  int line = 0;
  std::vector<IniPiece> pieces;

  // The value as configparser gives it: the pieces joined with '\n', trailing blank lines dropped.
  std::string value() const;
  // Whether botocore reads it as a block of nested "name = value" lines (it starts with '\n').
  bool is_nested() const;
};

struct IniSection {
  std::string_view name;  // the text between the brackets, not trimmed
  int line = 0;
  std::vector<IniOption> options;
};

struct IniFile {
  std::vector<IniSection> sections;
  IniSection defaults;                    // [DEFAULT]: inherited by every section
  std::deque<std::string> lowered_keys;  // storage behind keys that had to be lower-cased
};

// Parses `text` (the whole file). Views in the result point into `text`, which must outlive it.
// Errors (kConfigInvalid) are "FILE:LINE: what is wrong; how to fix it" for the line configparser
// would name, and never quote the line (it may hold a secret).
Result<IniFile> parse_ini(std::string_view text, std::string_view file_name);

// "FILE:LINE: MESSAGE" as a kConfigInvalid error.
Error config_error(std::string_view file_name, int line, std::string_view message);

}  // namespace mfaenv

// The INI dialect of the AWS config files: Python's configparser.RawConfigParser as botocore builds
// it (strict, '=' or ':' between key and value, full-line '#'/';' comments only, keys lower-cased,
// values continued on more-indented lines, [DEFAULT] inherited by every section), in one pass over
// the bytes. The reader (config.cc) checks the whole file once and keeps only the section headers
// (index_ini), then reads the options of the sections a command uses (read_ini_section): memory
// follows what the command needs, not the size of the file. The writer, which needs every option
// and its line, uses parse_ini.
#pragma once

#include <forward_list>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/result.h"

namespace mfaenv {

// Storage behind keys that had to be lower-cased: its strings never move, so views into them stay
// valid (and an empty one allocates nothing, which counts on the warm path).
using IniKeyStorage = std::forward_list<std::string>;

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
  IniKeyStorage lowered_keys;             // storage behind keys that had to be lower-cased
};

// Parses `text` (the whole file). Views in the result point into `text`, which must outlive it.
// Errors (kConfigInvalid) are "FILE:LINE: what is wrong; how to fix it" for the line configparser
// would name, and never quote the line (it may hold a secret).
Result<IniFile> parse_ini(std::string_view text, std::string_view file_name);

// A section header, where read_ini_section finds the section's options again.
struct IniHeader {
  std::string_view name;  // the text between the brackets (a view into the file's text)
  int line = 0;
};

// What index_ini keeps of a file: the headers of its sections and [DEFAULT] whole.
struct IniIndex {
  std::vector<IniHeader> sections;
  IniSection defaults;
  IniKeyStorage lowered_keys;  // storage behind [DEFAULT]'s lower-cased keys
  // botocore reads every value that starts with a line break as nested "name = value" lines
  // (configloader._parse_nested) after configparser accepted the file. The first of the sections'
  // own options that fails that (the error, and the index of its section); [DEFAULT]'s options are
  // checked by the caller, which knows which sections inherit them.
  std::optional<Error> nested_error;
  size_t nested_error_section = 0;
};

// Checks `text` exactly as parse_ini does (the same errors) and keeps what IniIndex says.
Result<IniIndex> index_ini(std::string_view text, std::string_view file_name);

// The options of the section whose header is `header`, in `text` that index_ini accepted. Keys that
// had to be lower-cased are kept in `lowered_keys`.
IniSection read_ini_section(std::string_view text, const IniHeader& header, IniKeyStorage& lowered_keys);

// configloader._parse_nested: the "name = value" lines of a nested block (is_nested()); an error
// naming FILE:LINE of the first line that is not one.
Result<std::map<std::string, std::string>> parse_nested_block(const IniOption& option, std::string_view file_name);

// "FILE:LINE: MESSAGE" as a kConfigInvalid error.
Error config_error(std::string_view file_name, int line, std::string_view message);

}  // namespace mfaenv

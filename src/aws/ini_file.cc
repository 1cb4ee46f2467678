// configparser.RawConfigParser._read, line for line, over UTF-8 bytes (see ini_file.h). The order in
// which errors win is configparser's: duplicates and text before the first section stop at once;
// lines that are neither a header nor a setting are collected and reported (the first one) at the end.
#include "aws/ini_file.h"

#include <algorithm>
#include <cstdint>
#include <functional>
#include <limits>
#include <optional>
#include <unordered_map>

#include "aws/python_text.h"
#include "util/utf8.h"

namespace mfaenv {

namespace {

constexpr size_t kDefaultsId = std::numeric_limits<size_t>::max();
constexpr size_t kPythonChunk = 8192;  // io.TextIOWrapper._CHUNK_SIZE

struct SectionKey {
  size_t section;
  std::string_view key;
  bool operator==(const SectionKey&) const = default;
};

struct SectionKeyHash {
  size_t operator()(const SectionKey& k) const {
    return std::hash<std::string_view>{}(k.key) * 31 + std::hash<size_t>{}(k.section);
  }
};

// The 1-based line (as Python counts lines: "\n", "\r\n" and a lone "\r" each end one) of `offset`.
int line_of(std::string_view text, size_t offset) {
  int line = 1;
  for (size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n' || (text[i] == '\r' && (i + 1 >= text.size() || text[i + 1] != '\n'))) ++line;
  }
  return line;
}

bool has_leading_bom(std::string_view text) { return text.substr(0, 3) == "\xEF\xBB\xBF"; }

}  // namespace

Error config_error(std::string_view file_name, int line, std::string_view message) {
  return make_error(ErrorKind::kConfigInvalid, "{}:{}: {}", file_name, line, message);
}

std::string IniOption::value() const {
  size_t last = pieces.size();
  while (last > 0 && pieces[last - 1].text.empty()) --last;
  std::string joined;
  for (size_t i = 0; i < last; ++i) {
    if (i > 0) joined += '\n';
    joined += pieces[i].text;
  }
  return joined;
}

bool IniOption::is_nested() const {
  if (pieces.empty() || !pieces[0].text.empty()) return false;
  for (const IniPiece& piece : pieces) {
    if (!piece.text.empty()) return true;
  }
  return false;
}

Result<IniFile> parse_ini(std::string_view text, std::string_view file_name) {
  // Python decodes the file in 8 KiB chunks while configparser reads it line by line, so an invalid
  // byte stops the parse only when its chunk is decoded (and a sequence cut off by the end of the
  // file only at the end): the lines before that are parsed, and their duplicates win.
  size_t detected = 0;
  const size_t bad = invalid_utf8_offset(text, &detected);
  std::optional<Error> decode_error;
  size_t n = text.size();
  if (bad != std::string_view::npos) {
    decode_error = config_error(file_name, line_of(text, bad),
                                fmt::format("byte 0x{:02X} is not valid UTF-8; save the file as UTF-8",
                                            static_cast<unsigned char>(text[bad])));
    n = detected >= text.size() ? bad : std::min(bad, detected / kPythonChunk * kPythonChunk);
  }

  IniFile ini;
  ini.defaults.name = "DEFAULT";
  std::unordered_map<std::string_view, size_t> section_ids;           // name -> index in ini.sections
  std::unordered_map<SectionKey, int, SectionKeyHash> keys_seen;      // (section, key) -> line
  IniSection* section = nullptr;  // configparser's cursect
  size_t section_id = 0;
  IniOption* option = nullptr;    // configparser's optname, when it names a key (not None, not "")
  size_t indent_level = 0;
  int first_bad_line = 0;         // configparser's ParsingError, raised after the last line
  std::string first_bad_reason;

  size_t start = 0;
  int lineno = 0;
  while (start < n) {
    size_t end = start;
    while (end < n && text[end] != '\n' && text[end] != '\r') ++end;
    // Before a decoding error only whole lines are read, and a "\r" just before the stop is held
    // back (it might start a "\r\n").
    if (decode_error && (end == n || (text[end] == '\r' && end + 1 == n))) break;
    const size_t next = end < n ? end + (text[end] == '\r' && end + 1 < n && text[end + 1] == '\n' ? 2 : 1) : n;
    const std::string_view line = text.substr(start, end - start);
    start = next;
    ++lineno;

    const std::string_view value = python::strip(line);
    if (!value.empty() && (value[0] == '#' || value[0] == ';')) continue;  // a comment line
    if (value.empty()) {
      if (section != nullptr && option != nullptr) option->pieces.push_back({"", lineno});
      continue;
    }
    const size_t indent = python::code_points(line.substr(0, static_cast<size_t>(value.data() - line.data())));
    if (section != nullptr && option != nullptr && indent > indent_level) {
      option->pieces.push_back({value, lineno});  // a continuation line
      continue;
    }
    indent_level = indent;

    if (value[0] == '[') {
      const size_t close = value.rfind(']');
      if (close != std::string_view::npos && close >= 2) {
        const std::string_view name = value.substr(1, close - 1);
        option = nullptr;
        if (auto it = section_ids.find(name); it != section_ids.end()) {
          return config_error(file_name, lineno,
                              fmt::format("section [{}] appears a second time (first at line {}); merge the two "
                                          "into one section",
                                          name, ini.sections[it->second].line));
        }
        if (name == "DEFAULT") {
          section = &ini.defaults;
          section_id = kDefaultsId;
          if (ini.defaults.line == 0) ini.defaults.line = lineno;
        } else {
          section_ids.emplace(name, ini.sections.size());
          section_id = ini.sections.size();
          ini.sections.push_back(IniSection{name, lineno, {}});
          section = &ini.sections.back();
        }
        continue;
      }
    }
    if (section == nullptr) {
      if (lineno == 1 && has_leading_bom(text)) {
        return config_error(file_name, lineno,
                            "the file starts with a byte order mark (BOM), which the AWS CLI and SDKs do not "
                            "accept; save it as UTF-8 without BOM");
      }
      return config_error(file_name, lineno,
                          "text before the first section header; start the file with a section such as "
                          "[default] or [profile NAME]");
    }
    const size_t delimiter = value.find_first_of("=:");
    if (delimiter == std::string_view::npos) {
      if (first_bad_line == 0) {
        first_bad_line = lineno;
        first_bad_reason =
            "this line is neither a [section] header, a 'key = value' setting nor a comment; fix or remove it "
            "(or indent it to continue the value above)";
      }
      continue;  // configparser keeps its optname: later indented lines still continue that value
    }
    std::string_view key = python::rstrip(value.substr(0, delimiter));
    if (key.empty() && first_bad_line == 0) {
      first_bad_line = lineno;
      first_bad_reason = fmt::format("the setting has no key before '{}'; write 'key = value'", value[delimiter]);
    }
    std::string lowered;
    if (python::lower(key, lowered)) key = ini.lowered_keys.emplace_back(std::move(lowered));
    const auto [seen, inserted] = keys_seen.emplace(SectionKey{section_id, key}, lineno);
    if (!inserted) {
      return config_error(file_name, lineno,
                          fmt::format("key '{}' appears a second time in section [{}] (first at line {}); keep "
                                      "only one",
                                      key, section->name, seen->second));
    }
    section->options.push_back(IniOption{key, lineno, {{python::strip(value.substr(delimiter + 1)), lineno}}});
    option = key.empty() ? nullptr : &section->options.back();
  }
  if (decode_error) return *decode_error;
  if (first_bad_line != 0) return config_error(file_name, first_bad_line, first_bad_reason);
  return ini;
}

}  // namespace mfaenv

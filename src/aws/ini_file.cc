// configparser.RawConfigParser._read, line for line, over UTF-8 bytes (see ini_file.h). The order in
// which errors win is configparser's: duplicates and text before the first section stop at once;
// lines that are neither a header nor a setting are collected and reported (the first one) at the end.
#include "aws/ini_file.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <functional>
#include <unordered_map>
#include <utility>

#include "aws/python_text.h"
#include "util/utf8.h"

namespace mfaenv {

namespace {

constexpr size_t kPythonChunk = 8192;  // io.TextIOWrapper._CHUNK_SIZE
// botocore has no limit, but a profile reads a few dozen keys and a [services] section one per AWS
// service (about 400); the differential tests' one key per lower-cased code point is about 1400. A cap keeps one generated section of 800k keys from costing every command
// hundreds of MB (docs/hardening.md, defect 12).
constexpr size_t kMaxKeysPerSection = 10000;

// The 1-based line (as Python counts lines: "\n", "\r\n" and a lone "\r" each end one) of `offset`.
int line_of(std::string_view text, size_t offset) {
  int line = 1;
  for (size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n' || (text[i] == '\r' && (i + 1 >= text.size() || text[i + 1] != '\n'))) ++line;
  }
  return line;
}

bool has_leading_bom(std::string_view text) { return text.substr(0, 3) == "\xEF\xBB\xBF"; }

// Bytes taken by the line break at `i` of text[..end): "\r\n" is one break, as Python reads it.
size_t line_break_length(std::string_view text, size_t i, size_t end) {
  if (i >= end) return 0;
  return text[i] == '\r' && i + 1 < end && text[i + 1] == '\n' ? 2 : 1;
}

// One line as configparser._read sees it (comment lines never reach its caller).
struct IniLine {
  enum class Kind {
    kBlank,         // empty, or white space only
    kContinuation,  // more indented than the setting above: the next piece of its value
    kHeader,        // [NAME]: `value` is NAME
    kSetting,       // KEY = VALUE or KEY : VALUE: `key` (not lower-cased yet) and `value`
    kNotSetting,    // none of these (configparser's ParsingError, reported at the end)
  };
  Kind kind = Kind::kBlank;
  int number = 0;
  std::string_view value;  // stripped
  std::string_view key;
  char delimiter = 0;
};

// The lines of text[begin, end), split as Python splits them and classified with the state
// configparser keeps between lines: whether a setting is open (so that a more indented line
// continues its value) and the indent of the last line that was not a continuation.
class IniLines {
 public:
  enum class LastLine { kAny, kWholeOnly };  // kWholeOnly: a line counts only when a line break ends it

  // `number` is the number of the line before `begin`.
  IniLines(std::string_view text, size_t begin, size_t end, int number, LastLine last)
      : text_(text), pos_(begin), end_(end), number_(number), last_(last) {}

  bool next(IniLine& out) {
    while (pos_ < end_) {
      const size_t end = line_end();
      // Before a decoding error only whole lines are read, and a "\r" just before the stop is held
      // back (it might start a "\r\n").
      if (last_ == LastLine::kWholeOnly && (end == end_ || (text_[end] == '\r' && end + 1 == end_))) return false;
      const std::string_view line = text_.substr(pos_, end - pos_);
      pos_ = end + line_break_length(text_, end, end_);
      ++number_;

      const std::string_view value = python::strip(line);
      if (!value.empty() && (value[0] == '#' || value[0] == ';')) continue;  // a comment line
      out = IniLine{IniLine::Kind::kBlank, number_, value, {}, 0};
      if (value.empty()) return true;
      const size_t indent = python::code_points(line.substr(0, static_cast<size_t>(value.data() - line.data())));
      if (setting_open_ && indent > indent_level_) {
        out.kind = IniLine::Kind::kContinuation;
        return true;
      }
      indent_level_ = indent;
      if (value[0] == '[') {
        const size_t close = value.rfind(']');
        if (close != std::string_view::npos && close >= 2) {
          out.kind = IniLine::Kind::kHeader;
          out.value = value.substr(1, close - 1);
          setting_open_ = false;
          return true;
        }
      }
      const size_t delimiter = value.find_first_of("=:");
      if (delimiter == std::string_view::npos) {
        out.kind = IniLine::Kind::kNotSetting;  // configparser keeps its optname: later indented lines still continue it
        return true;
      }
      out.kind = IniLine::Kind::kSetting;
      out.key = python::rstrip(value.substr(0, delimiter));
      out.delimiter = value[delimiter];
      out.value = python::strip(value.substr(delimiter + 1));
      setting_open_ = !out.key.empty();  // configparser's optname "" continues nothing
      return true;
    }
    return false;
  }

 private:
  // Where the line at pos_ ends: the first "\n" or "\r" (memchr: the file is read at every `env`).
  size_t line_end() const {
    const char* begin = text_.data() + pos_;
    size_t length = end_ - pos_;
    if (const void* lf = std::memchr(begin, '\n', length)) length = static_cast<size_t>(static_cast<const char*>(lf) - begin);
    if (const void* cr = std::memchr(begin, '\r', length)) length = static_cast<size_t>(static_cast<const char*>(cr) - begin);
    return pos_ + length;
  }

  std::string_view text_;
  size_t pos_;
  size_t end_;
  int number_;
  LastLine last_;
  bool setting_open_ = false;
  size_t indent_level_ = 0;
};

// The key of a setting line as configparser's optionxform gives it (lower-cased into `storage`
// when it has to be).
std::string_view option_key(std::string_view key, IniKeyStorage& storage) {
  std::string lowered;
  if (python::lower(key, lowered)) return storage.emplace_front(std::move(lowered));
  return key;
}

// Adds a setting to `section`; returns the option later lines continue (nullptr for the key "").
IniOption* append_option(IniSection& section, std::string_view key, const IniLine& line) {
  section.options.push_back(IniOption{key, line.number, {{line.value, line.number}}});
  return key.empty() ? nullptr : &section.options.back();
}

// The keys of one section and the line of each, to name the first of a repeated key. Most sections
// hold a few keys: a short list, and a hash map only for a section that holds many.
class SectionKeys {
 public:
  // The line where `key` was first set, or 0 (and it is remembered) when it is new.
  int add(std::string_view key, int line) {
    if (map_.empty()) {
      for (const auto& [k, first] : list_)
        if (k == key) return first;
      if (list_.size() < kShortList) {
        list_.emplace_back(key, line);
        return 0;
      }
      map_.insert(list_.begin(), list_.end());
    }
    const auto [it, added] = map_.emplace(key, line);
    return added ? 0 : it->second;
  }

  size_t size() const { return map_.empty() ? list_.size() : map_.size(); }

  void clear() {
    list_.clear();
    if (!map_.empty()) map_ = {};  // a fresh map: clear() would keep a large bucket array to sweep
  }

 private:
  static constexpr size_t kShortList = 16;
  std::vector<std::pair<std::string_view, int>> list_;
  std::unordered_map<std::string_view, int> map_;
};

// configparser stops at the first header that repeats an earlier one. Found once the headers are
// known, by sorting hashes of the names, so that no set of every name is held while reading.
std::optional<Error> repeated_section(const std::vector<IniHeader>& headers, std::string_view file_name) {
  if (headers.size() < 2) return std::nullopt;
  std::vector<std::pair<size_t, uint32_t>> by_hash;  // (hash of the name, index)
  by_hash.reserve(headers.size());
  for (size_t i = 0; i < headers.size(); ++i)
    by_hash.emplace_back(std::hash<std::string_view>{}(headers[i].name), static_cast<uint32_t>(i));
  std::sort(by_hash.begin(), by_hash.end());
  size_t repeat = headers.size(), first = 0;
  for (size_t run = 0; run < by_hash.size();) {
    size_t run_end = run + 1;
    while (run_end < by_hash.size() && by_hash[run_end].first == by_hash[run].first) ++run_end;
    // In a run of one hash the indexes ascend: an entry repeats the first earlier one of its name.
    for (size_t a = run + 1; a < run_end; ++a) {
      for (size_t b = run; b < a; ++b) {
        if (headers[by_hash[a].second].name != headers[by_hash[b].second].name) continue;
        if (by_hash[a].second < repeat) repeat = by_hash[a].second, first = by_hash[b].second;
        break;
      }
    }
    run = run_end;
  }
  if (repeat == headers.size()) return std::nullopt;
  return config_error(file_name, headers[repeat].line,
                      fmt::format("section [{}] appears a second time (first at line {}); merge the two into one section",
                                  headers[repeat].name, headers[first].line));
}

// The whole file, checked. Headers, [DEFAULT] and the first bad nested block go to `out`; the
// options of the other sections go to `sections` when given (parse_ini), else only the setting
// being read is held, to check its nested block (index_ini).
Status scan_file(std::string_view text, std::string_view file_name, IniIndex& out, std::vector<IniSection>* sections) {
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

  out.defaults.name = "DEFAULT";
  bool in_section = false;           // configparser's cursect is set
  std::string_view section_name;
  IniSection* section = nullptr;     // where the section's options are kept (nullptr: not kept)
  IniOption* option = nullptr;       // configparser's optname, when it names a key (not None, not "")
  SectionKeys section_keys, default_keys;
  SectionKeys* keys = &section_keys;
  // index_ini: the one setting of a section whose options are not kept, and its lower-cased keys.
  IniOption held;
  IniKeyStorage held_keys;
  auto check_held = [&] {
    if (option != &held) return;
    option = nullptr;
    if (out.nested_error || !held.is_nested()) return;
    if (auto block = parse_nested_block(held, file_name); !block.ok()) {
      out.nested_error = std::move(block).error();
      out.nested_error_section = out.sections.size() - 1;
    }
  };
  int first_bad_line = 0;  // configparser's ParsingError, raised after the last line
  std::string first_bad_reason;

  IniLines lines(text, 0, n, 0, decode_error ? IniLines::LastLine::kWholeOnly : IniLines::LastLine::kAny);
  for (IniLine line; lines.next(line);) {
    switch (line.kind) {
      case IniLine::Kind::kBlank:  // its value is "", which configparser keeps until it joins the value
      case IniLine::Kind::kContinuation:
        if (option != nullptr) option->pieces.push_back({line.value, line.number});
        continue;
      case IniLine::Kind::kHeader:
        check_held();
        option = nullptr;
        in_section = true;
        section_name = line.value;
        if (line.value == "DEFAULT") {
          section = &out.defaults;
          keys = &default_keys;
          if (out.defaults.line == 0) out.defaults.line = line.number;
        } else {
          out.sections.push_back(IniHeader{line.value, line.number});
          section_keys.clear();
          held_keys.clear();
          keys = &section_keys;
          section = nullptr;
          if (sections != nullptr) section = &sections->emplace_back(IniSection{line.value, line.number, {}});
        }
        continue;
      case IniLine::Kind::kSetting:
      case IniLine::Kind::kNotSetting:
        break;
    }
    if (!in_section) {
      if (line.number == 1 && has_leading_bom(text)) {
        return config_error(file_name, line.number,
                            "the file starts with a byte order mark (BOM), which the AWS CLI and SDKs do not "
                            "accept; save it as UTF-8 without BOM");
      }
      return config_error(file_name, line.number,
                          "text before the first section header; start the file with a section such as "
                          "[default] or [profile NAME]");
    }
    if (line.kind == IniLine::Kind::kNotSetting) {
      if (first_bad_line == 0) {
        first_bad_line = line.number;
        first_bad_reason =
            "this line is neither a [section] header, a 'key = value' setting nor a comment; fix or remove it "
            "(or indent it to continue the value above)";
      }
      continue;
    }
    if (line.key.empty() && first_bad_line == 0) {
      first_bad_line = line.number;
      first_bad_reason = fmt::format("the setting has no key before '{}'; write 'key = value'", line.delimiter);
    }
    check_held();
    const std::string_view key = option_key(line.key, section != nullptr ? out.lowered_keys : held_keys);
    if (const int first = keys->add(key, line.number)) {
      // A repeated header above this line stopped configparser first.
      if (auto repeated = repeated_section(out.sections, file_name)) return *repeated;
      return config_error(file_name, line.number,
                          fmt::format("key '{}' appears a second time in section [{}] (first at line {}); keep "
                                      "only one",
                                      key, section_name, first));
    }
    if (keys->size() > kMaxKeysPerSection) {
      if (auto repeated = repeated_section(out.sections, file_name)) return *repeated;
      return config_error(file_name, line.number,
                          fmt::format("section [{}] has more than {} settings, more than any AWS profile uses; "
                                      "mfaenv reads no further: remove the ones that are not needed",
                                      section_name, kMaxKeysPerSection));
    }
    if (section != nullptr) {
      option = append_option(*section, key, line);
    } else if (!key.empty()) {
      held.key = key;
      held.line = line.number;
      held.pieces.assign(1, IniPiece{line.value, line.number});
      option = &held;
    }
  }
  check_held();
  if (auto repeated = repeated_section(out.sections, file_name)) return *repeated;
  if (decode_error) return *decode_error;
  if (first_bad_line != 0) return config_error(file_name, first_bad_line, first_bad_reason);
  return {};
}

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
  IniFile ini;
  IniIndex index;
  MFAENV_CHECK(scan_file(text, file_name, index, &ini.sections));
  ini.defaults = std::move(index.defaults);
  ini.lowered_keys = std::move(index.lowered_keys);
  return ini;
}

Result<IniIndex> index_ini(std::string_view text, std::string_view file_name) {
  IniIndex index;
  MFAENV_CHECK(scan_file(text, file_name, index, nullptr));
  return index;
}

IniSection read_ini_section(std::string_view text, const IniHeader& header, IniKeyStorage& lowered_keys) {
  IniSection section{header.name, header.line, {}};
  // The section's lines start after its header's line; its name is a view into that line.
  size_t begin = static_cast<size_t>(header.name.data() - text.data()) + header.name.size();
  while (begin < text.size() && text[begin] != '\n' && text[begin] != '\r') ++begin;
  begin += line_break_length(text, begin, text.size());
  IniLines lines(text, begin, text.size(), header.line, IniLines::LastLine::kAny);
  IniOption* option = nullptr;
  for (IniLine line; lines.next(line);) {
    switch (line.kind) {
      case IniLine::Kind::kHeader:
        return section;
      case IniLine::Kind::kBlank:
      case IniLine::Kind::kContinuation:
        if (option != nullptr) option->pieces.push_back({line.value, line.number});
        break;
      case IniLine::Kind::kSetting:
        option = append_option(section, option_key(line.key, lowered_keys), line);
        break;
      case IniLine::Kind::kNotSetting:
        break;
    }
  }
  return section;
}

}  // namespace mfaenv

// botocore's configloader._parse_nested: a value that starts with a line break is a block of
// "name = value" lines (s3 =\n  addressing_style = path). Declared in ini_file.h, beside IniOption.
#include "aws/ini_file.h"
#include "aws/python_text.h"

namespace mfaenv {

Result<std::map<std::string, std::string>> parse_nested_block(const IniOption& option, std::string_view file_name) {
  std::map<std::string, std::string> block;
  for (const IniPiece& piece : option.pieces) {
    const std::string_view text = piece.text;
    size_t start = 0;
    while (start < text.size()) {
      size_t end = start;
      while (end < text.size() && python::line_break_at(text, end) == 0) ++end;
      const std::string_view line = python::strip(text.substr(start, end - start));
      start = end + python::line_break_at(text, end);
      if (line.empty()) continue;
      const size_t equals = line.find('=');
      if (equals == std::string_view::npos) {
        return config_error(file_name, piece.line,
                            fmt::format("the indented line under '{}' is not 'name = value'; nested settings "
                                        "need '=' (or un-indent the line if it is a setting of its own)",
                                        option.key));
      }
      block[std::string(python::strip(line.substr(0, equals)))] = std::string(python::strip(line.substr(equals + 1)));
    }
  }
  return block;
}

}  // namespace mfaenv

// JSON string literals from arbitrary bytes. Environment values and credentials are bytes, JSON text
// must be UTF-8: invalid sequences become U+FFFD, one per maximal ill-formed subpart, exactly as
// Python's bytes.decode("utf-8", "replace") does, so that every JSON reader accepts the output.
#pragma once

#include <string>
#include <string_view>

#include "util/utf8.h"

namespace mfaenv {

// Appends `bytes` as a quoted JSON string: `"`, `\` and control characters escaped, valid UTF-8
// copied as it is, invalid UTF-8 replaced by U+FFFD.
void append_json_string(std::string& out, std::string_view bytes);

// is_valid_utf8 is in util/utf8.h.

}  // namespace mfaenv

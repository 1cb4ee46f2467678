// UTF-8 (Unicode §3.9, table 3-7: well-formed byte sequences), in one place: checking text,
// finding where it stops being UTF-8 (the config reader, STS answers), replacing what is not
// (JSON output), and encoding a code point (the policy JSON reader's \u escapes).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace mfaenv {

// Length of the well-formed sequence at the start of `s` (not empty), or, when it is ill-formed,
// minus the length of its maximal subpart (the bytes one U+FFFD replaces; at least 1).
int utf8_sequence(std::string_view s);

bool is_valid_utf8(std::string_view bytes);

// Offset of the first byte of the first ill-formed sequence, or npos for valid text. `detected_at`,
// when given, is where a decoder fed byte by byte notices (Python's strict decoder): the offending
// byte (a bad lead or continuation byte), or text.size() when the text ends mid-sequence.
size_t invalid_utf8_offset(std::string_view text, size_t* detected_at = nullptr);

// Appends code point `cp` (at most U+10FFFF, not a surrogate) as UTF-8.
void append_utf8(std::string& out, uint32_t cp);

}  // namespace mfaenv

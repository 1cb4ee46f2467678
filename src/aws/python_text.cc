// Python's str and shlex rules on UTF-8 text (see python_text.h).
#include "aws/python_text.h"

#include <algorithm>
#include <cstdint>
#include <iterator>

namespace mfaenv::python {

namespace {

unsigned char byte(std::string_view s, size_t i) { return i < s.size() ? static_cast<unsigned char>(s[i]) : 0; }

bool in(unsigned char c, unsigned char lo, unsigned char hi) { return c >= lo && c <= hi; }

// str.isspace() for ASCII: \t \n \v \f \r, the separators \x1c-\x1f, and space.
bool ascii_space(unsigned char c) { return (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x20); }

// The other whitespace code points, encoded: U+0085, U+00A0 (two bytes); U+1680, U+2000-U+200A,
// U+2028, U+2029, U+202F, U+205F, U+3000 (three bytes).
size_t wide_space(unsigned char b0, unsigned char b1, unsigned char b2) {
  if (b0 == 0xC2) return (b1 == 0x85 || b1 == 0xA0) ? 2 : 0;
  if (b0 == 0xE1) return (b1 == 0x9A && b2 == 0x80) ? 3 : 0;
  if (b0 == 0xE2) {
    if (b1 == 0x80 && (in(b2, 0x80, 0x8A) || b2 == 0xA8 || b2 == 0xA9 || b2 == 0xAF)) return 3;
    if (b1 == 0x81 && b2 == 0x9F) return 3;
    return 0;
  }
  if (b0 == 0xE3) return (b1 == 0x80 && b2 == 0x80) ? 3 : 0;
  return 0;
}

struct LowerRun {
  uint32_t first;
  uint32_t last;
  uint32_t step;
  int32_t delta;
};

constexpr LowerRun kLowerRuns[] = {
#include "aws/python_lower_table.inc"
};

uint32_t lower_code_point(uint32_t cp) {
  const auto* it = std::upper_bound(std::begin(kLowerRuns), std::end(kLowerRuns), cp,
                                    [](uint32_t c, const LowerRun& run) { return c < run.first; });
  if (it == std::begin(kLowerRuns)) return cp;
  const LowerRun& run = *std::prev(it);
  if (cp > run.last || (cp - run.first) % run.step != 0) return cp;
  return static_cast<uint32_t>(static_cast<int32_t>(cp) + run.delta);
}

size_t sequence_length(unsigned char b0) {
  if (b0 < 0x80) return 1;
  if (b0 < 0xE0) return 2;
  if (b0 < 0xF0) return 3;
  return 4;
}

uint32_t decode(std::string_view s, size_t i, size_t length) {
  const unsigned char b0 = byte(s, i);
  switch (length) {
    case 1: return b0;
    case 2: return (uint32_t{b0} & 0x1F) << 6 | (byte(s, i + 1) & 0x3F);
    case 3: return (uint32_t{b0} & 0x0F) << 12 | (byte(s, i + 1) & 0x3F) << 6 | (byte(s, i + 2) & 0x3F);
    default:
      return (uint32_t{b0} & 0x07) << 18 | (byte(s, i + 1) & 0x3F) << 12 | (byte(s, i + 2) & 0x3F) << 6 |
             (byte(s, i + 3) & 0x3F);
  }
}

void encode(uint32_t cp, std::string& out) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

}  // namespace

size_t space_at(std::string_view s, size_t i) {
  const unsigned char b0 = byte(s, i);
  if (i >= s.size()) return 0;
  if (b0 < 0x80) return ascii_space(b0) ? 1 : 0;
  return wide_space(b0, byte(s, i + 1), byte(s, i + 2));
}

size_t space_before(std::string_view s, size_t end) {
  if (end == 0) return 0;
  const unsigned char last = byte(s, end - 1);
  if (last < 0x80) return ascii_space(last) ? 1 : 0;
  if (end >= 2 && wide_space(byte(s, end - 2), last, 0) == 2) return 2;
  if (end >= 3 && wide_space(byte(s, end - 3), byte(s, end - 2), last) == 3) return 3;
  return 0;
}

std::string_view lstrip(std::string_view s) {
  size_t i = 0;
  while (size_t n = space_at(s, i)) i += n;
  return s.substr(i);
}

std::string_view rstrip(std::string_view s) {
  size_t end = s.size();
  while (size_t n = space_before(s, end)) end -= n;
  return s.substr(0, end);
}

std::string_view strip(std::string_view s) { return rstrip(lstrip(s)); }

size_t code_points(std::string_view s) {
  size_t count = 0;
  for (char c : s) count += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return count;
}

size_t line_break_at(std::string_view s, size_t i) {
  const unsigned char b0 = byte(s, i);
  if (i >= s.size()) return 0;
  if (b0 == '\r') return byte(s, i + 1) == '\n' && i + 1 < s.size() ? 2 : 1;
  if (b0 == '\n' || b0 == '\v' || b0 == '\f' || in(b0, 0x1C, 0x1E)) return 1;
  if (b0 == 0xC2 && byte(s, i + 1) == 0x85) return 2;
  if (b0 == 0xE2 && byte(s, i + 1) == 0x80 && (byte(s, i + 2) == 0xA8 || byte(s, i + 2) == 0xA9)) return 3;
  return 0;
}

bool lower(std::string_view s, std::string& out) {
  bool changes = false;
  for (char c : s) {
    const auto b = static_cast<unsigned char>(c);
    if (b >= 0x80 || (b >= 'A' && b <= 'Z')) {
      changes = true;
      break;
    }
  }
  if (!changes) return false;
  std::string result;
  result.reserve(s.size() + 1);
  for (size_t i = 0; i < s.size();) {
    const unsigned char b0 = byte(s, i);
    if (b0 < 0x80) {
      result += static_cast<char>(b0 >= 'A' && b0 <= 'Z' ? b0 + 32 : b0);
      ++i;
      continue;
    }
    const size_t length = std::min(sequence_length(b0), s.size() - i);
    const uint32_t cp = decode(s, i, length);
    if (cp == 0x130) {
      result += "i\xCC\x87";  // LATIN CAPITAL LETTER I WITH DOT ABOVE lowers to "i" + COMBINING DOT ABOVE
    } else {
      encode(lower_code_point(cp), result);
    }
    i += length;
  }
  if (result == s) return false;
  out = std::move(result);
  return true;
}

std::optional<std::vector<std::string>> shlex_split(std::string_view s) {
  // The states of shlex.read_token with whitespace_split and no commenters.
  enum class State { kSpace, kWord, kSingle, kDouble, kEscape };
  const auto whitespace = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  std::vector<std::string> tokens;
  std::string token;
  bool quoted = false;
  State state = State::kSpace;
  State escaped_from = State::kWord;
  const auto emit = [&] {
    if (!token.empty() || quoted) tokens.push_back(std::move(token));
    token.clear();
    quoted = false;
  };
  for (char c : s) {
    switch (state) {
      case State::kSpace:
        if (whitespace(c)) break;
        if (c == '\\') {
          escaped_from = State::kWord;
          state = State::kEscape;
        } else if (c == '\'') {
          state = State::kSingle;
        } else if (c == '"') {
          state = State::kDouble;
        } else {
          token += c;
          state = State::kWord;
        }
        break;
      case State::kWord:
        if (whitespace(c)) {
          state = State::kSpace;
          emit();
        } else if (c == '\'') {
          state = State::kSingle;
        } else if (c == '"') {
          state = State::kDouble;
        } else if (c == '\\') {
          escaped_from = State::kWord;
          state = State::kEscape;
        } else {
          token += c;
        }
        break;
      case State::kSingle:
      case State::kDouble:
        quoted = true;
        if (c == (state == State::kSingle ? '\'' : '"')) {
          state = State::kWord;
        } else if (state == State::kDouble && c == '\\') {
          escaped_from = State::kDouble;
          state = State::kEscape;
        } else {
          token += c;
        }
        break;
      case State::kEscape:
        // Inside double quotes only the quote and the backslash itself can be escaped.
        if (escaped_from == State::kDouble && c != '\\' && c != '"') token += '\\';
        token += c;
        state = escaped_from;
        break;
    }
  }
  if (state == State::kSingle || state == State::kDouble || state == State::kEscape) return std::nullopt;
  if (state == State::kWord) emit();
  return tokens;
}

}  // namespace mfaenv::python

// What the fuzz targets share: FUZZ_CHECK, which reports a broken property and aborts so that
// libFuzzer (or the replay main) stops on the input and saves it, and small input helpers.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>
#include <vector>

// The message must never print the input: inputs may look like secrets (they do in the seeds).
#define FUZZ_CHECK(condition, what)                                                          \
  do {                                                                                       \
    if (!(condition)) {                                                                      \
      std::fprintf(stderr, "fuzz property failed at %s:%d: %s\n", __FILE__, __LINE__, what); \
      std::abort();                                                                          \
    }                                                                                        \
  } while (0)

namespace mfaenv::fuzz {

inline std::string_view as_text(const uint8_t* data, size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// The input cut at its first `count - 1` NUL bytes into `count` fields (fewer when it has fewer
// NULs); the last field keeps any further NULs. Seeds stay readable: "profile\0key\0value\0text".
inline std::vector<std::string_view> split_fields(std::string_view input, size_t count) {
  std::vector<std::string_view> fields;
  while (fields.size() + 1 < count) {
    const size_t nul = input.find('\0');
    if (nul == std::string_view::npos) break;
    fields.push_back(input.substr(0, nul));
    input.remove_prefix(nul + 1);
  }
  fields.push_back(input);
  return fields;
}

}  // namespace mfaenv::fuzz

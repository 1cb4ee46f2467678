// Fuzz target: the key file format of src/keys/sealed_file.h. Any bytes: reading the header and
// opening with a passphrase never crash, never succeed on bytes mfaenv did not seal with that
// passphrase (the AEAD tag), and every error is one line. Costs in the header are capped before use.
#include <string>

#include "fuzz_check.h"
#include "keys/sealed_file.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace mfaenv;
  const std::string_view file = fuzz::as_text(data, size);
  if (auto info = read_key_file_info(file, "f.keys"); !info.ok())
    FUZZ_CHECK(info.error().message.find('\n') == std::string::npos, "a header error has a newline");
  auto opened = open_key_file(file, "fuzz passphrase", "f.keys");
  if (!opened.ok()) FUZZ_CHECK(opened.error().message.find('\n') == std::string::npos, "an open error has a newline");
  return 0;
}

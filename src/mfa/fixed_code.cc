// --token-code: the one code given on the command line.
#include "mfa/code_source.h"

namespace mfaenv {

namespace {

class FixedCodeSource : public MfaCodeSource {
 public:
  explicit FixedCodeSource(std::string code) : code_(normalize_code(code)) {}
  Result<std::string> code(const std::string&, CodeRetry) override {
    if (!is_valid_code(code_)) return make_error(ErrorKind::kUsage, "--token-code must be the six digits your MFA device shows");
    return code_;
  }
  int max_attempts() const override { return 1; }
  bool can_wait_for_next_code() const override { return false; }
  std::string name() const override { return "--token-code"; }

 private:
  std::string code_;
};

}  // namespace

std::unique_ptr<MfaCodeSource> make_fixed_code_source(std::string code) {
  return std::make_unique<FixedCodeSource>(std::move(code));
}

}  // namespace mfaenv

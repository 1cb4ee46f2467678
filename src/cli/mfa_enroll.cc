// mfaenv mfa enroll: the second write-up's console clicks, from the terminal (docs/enroll.md).
// With the profile's long-term keys: CreateVirtualMFADevice, show the QR code (or the secret),
// read two consecutive codes, EnableMFADevice, write mfa_serial into the profile. A failure (or
// Ctrl-C) after the device exists deletes it again, so no orphan blocks the next try. The seed
// lives only in memory and is wiped; the QR code and --secret are the command's product (stdout).
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>

#include <fmt/format.h>

#include "cli/iam_session.h"
#include "cli/mfa_commands.h"
#include "crypto/digest.h"
#include "mfa/code_source.h"
#include "qr/otpauth.h"
#include "qr/png.h"
#include "qr/terminal.h"
#include "util/file.h"
#include "util/strings.h"
#include "util/shell_word.h"

namespace mfaenv {

namespace {

constexpr int kCodeAttempts = 3;
volatile sig_atomic_t g_interrupted = 0;

// Ctrl-C while waiting for a code must still delete the device: the handler only sets a flag, and
// the read it interrupts (no SA_RESTART) returns EINTR, so the normal clean-up runs.
class InterruptGuard {
 public:
  InterruptGuard() {
    struct sigaction action {};
    action.sa_handler = [](int) { g_interrupted = 1; };
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, &action, &old_int_);
    sigaction(SIGTERM, &action, &old_term_);
  }
  ~InterruptGuard() {
    sigaction(SIGINT, &old_int_, nullptr);
    sigaction(SIGTERM, &old_term_, nullptr);
  }
  InterruptGuard(const InterruptGuard&) = delete;
  InterruptGuard& operator=(const InterruptGuard&) = delete;

 private:
  struct sigaction old_int_ {};
  struct sigaction old_term_ {};
};

// Where the two codes come from: the terminal when there is one, else standard input (scripts,
// tests), one code per line.
class CodeReader {
 public:
  CodeReader() {
    tty_ = ::open("/dev/tty", O_RDWR | O_CLOEXEC | O_NOCTTY);
    in_ = tty_ >= 0 ? tty_ : STDIN_FILENO;
  }
  ~CodeReader() {
    if (tty_ >= 0) ::close(tty_);
  }
  CodeReader(const CodeReader&) = delete;
  CodeReader& operator=(const CodeReader&) = delete;

  Result<std::string> read_code(std::string_view prompt) {
    for (int tries = 0; tries < kCodeAttempts; ++tries) {
      fmt::print(stderr, "{}", prompt);
      std::fflush(stderr);
      std::string line;
      char c = 0;
      for (;;) {
        const ssize_t n = ::read(in_, &c, 1);
        if (n < 0 && errno == EINTR && !g_interrupted) continue;
        if (n < 0 || g_interrupted) return make_error(ErrorKind::kGeneric, "interrupted");
        if (n == 0) {
          if (line.empty()) return make_error(ErrorKind::kMfaCodeNeeded, "no code given (end of input)");
          break;
        }
        if (c == '\n') break;
        if (line.size() < 64) line += c;
      }
      if (tty_ < 0) fmt::print(stderr, "\n");  // the typed line's end, which a pipe does not echo
      std::string code;
      for (char d : line)
        if (d != ' ' && d != '\r' && d != '\t') code += d;
      secure_zero(line.data(), line.size());
      if (is_valid_code(code)) return code;
      fmt::print(stderr, "mfaenv: a code is six digits, as your app shows it\n");
    }
    return make_error(ErrorKind::kUsage, "no valid six-digit code after {} tries", kCodeAttempts);
  }

 private:
  int tty_ = -1;
  int in_ = STDIN_FILENO;
};

bool colour_terminal(int fd) {
  if (!::isatty(fd) || env("NO_COLOR")) return false;
  const auto term = env("TERM");
  return !term || *term != "dumb";
}

// Deletes the device made by this run; says so either way. Deactivation is tried first in case
// the failure came after EnableMFADevice.
void delete_device(IamClient& iam, const Credentials& keys, const std::string& user, const std::string& serial,
                   bool enabled) {
  if (enabled) {
    auto off = iam.deactivate_mfa_device(keys, user, serial);
    if (!off.ok()) {
      fmt::print(stderr, "mfaenv: the device {} could not be deactivated ({}); it stays assigned to {}: set "
                 "mfa_serial = {} in the profile yourself, or remove it with 'mfaenv mfa remove'\n",
                 serial, off.error().message, user, serial);
      return;
    }
  }
  auto gone = iam.delete_virtual_mfa_device(keys, serial);
  if (gone.ok()) {
    fmt::print(stderr, "mfaenv: deleted the new device {} again, so you can simply try again\n", serial);
  } else {
    fmt::print(stderr, "mfaenv: could not delete the new device {} ({}): delete it with 'aws iam "
               "delete-virtual-mfa-device --serial-number {}' before trying again\n",
               serial, gone.error().message, serial);
  }
}

Status explain_existing(IamClient& iam, const Credentials& keys, const IamUser& user, const std::string& serial,
                        const std::string& profile) {
  auto devices = iam.list_mfa_devices(keys, user.user_name);
  if (devices.ok()) {
    for (const auto& d : *devices)
      if (d.serial_number == serial)
        return make_error(ErrorKind::kAwsRefused, "{} already has the MFA device {}: to use it, '{}'; to replace it, '{}' first",
                          user.user_name, serial, suggested_command("config set", {"mfa_serial", serial, "--profile", profile}),
                          suggested_command("mfa remove", {profile}));
  }
  return make_error(ErrorKind::kAwsRefused, "a virtual MFA device {} already exists but is not enabled (an earlier "
                    "enrolment stopped half-way?): delete it with 'aws iam delete-virtual-mfa-device --serial-number "
                    "{}', or pick another name with --name", serial, serial);
}

}  // namespace

Status run_mfa_enroll(const MfaEnrollOptions& options) {
  auto ctx = MFAENV_TRY(open_session(options.profile, {}));
  if (!ctx->chain.links.empty() && ctx->chain.links.back().kind == LinkKind::kRole)
    return make_error(ErrorKind::kUsage, "profile '{}' is a role profile; MFA devices belong to IAM users: enrol the "
                      "profile that holds the user's keys ('{}')", ctx->profile, ctx->chain.source.profile);
  const std::string holder = ctx->chain.source.profile;
  if (const auto configured = ctx->config.profile(holder)->get("mfa_serial"); configured && !configured->empty())
    return make_error(ErrorKind::kGeneric, "profile '{}' already has mfa_serial = {}: '{}' shows the "
                      "user's devices; to replace it, '{}' first", holder, *configured,
                      suggested_command("mfa list", {ctx->profile}), suggested_command("mfa remove", {ctx->profile}));
  IamClient iam = MFAENV_TRY(iam_client_for(*ctx));
  const Credentials keys = MFAENV_TRY(long_term_keys(*ctx));
  const IamUser user = MFAENV_TRY(iam_user_of(iam, keys));
  auto existing = iam.list_mfa_devices(keys, user.user_name);
  if (existing.ok() && !existing->empty())
    return make_error(ErrorKind::kGeneric, "{} already has the MFA device {}; mfaenv uses one device per user: to "
                      "use it, '{}'; to replace it, '{}' first", user.user_name, existing->front().serial_number,
                      suggested_command("config set", {"mfa_serial", existing->front().serial_number, "--profile",
                                                       ctx->profile}),
                      suggested_command("mfa remove", {ctx->profile}));
  const std::string name = options.name.value_or(user.user_name);

  InterruptGuard interrupts;
  auto created = iam.create_virtual_mfa_device(keys, name);
  if (!created.ok()) {
    if (created.reason() == IamErrorReason::kEntityAlreadyExists) {
      const std::string arn_prefix = user.arn.substr(0, user.arn.find(":user/"));
      return explain_existing(iam, keys, user, arn_prefix + ":mfa/" + name, ctx->profile);
    }
    return std::move(created).error();
  }
  VirtualMfaDevice device = std::move(*created);
  const std::string serial = device.serial_number;
  bool enabled = false;
  // From here on every failure deletes the device.
  auto enrol = [&]() -> Status {
    const auto parsed = parse_mfa_serial(serial);
    if (!parsed) return make_error(ErrorKind::kGeneric, "IAM answered an unexpected serial number '{}'", serial);
    std::string uri = otpauth_uri(*parsed, device.base32_seed);
    if (options.qr_png) {
      auto matrix = encode_qr(uri);
      if (!matrix.ok()) {
        secure_zero(uri.data(), uri.size());
        return std::move(matrix).error();
      }
      auto drawn = qr_png(*matrix);
      if (!drawn.ok()) {
        secure_zero(uri.data(), uri.size());
        return std::move(drawn).error();
      }
      std::string png = std::move(*drawn);
      auto written = write_file_atomic(*options.qr_png, png, 0600);
      secure_zero(png.data(), png.size());
      if (!written.ok()) {
        secure_zero(uri.data(), uri.size());
        return written;
      }
      fmt::print(stderr, "mfaenv: wrote the QR code to {} (mode 0600): it holds the secret, delete it once scanned\n",
                 *options.qr_png);
    }
    if (options.show == SecretDisplay::kSecret) {
      fmt::print(stderr, "mfaenv: the secret of {} (base32, TOTP, 6 digits, 30 s) for your authenticator or "
                 "password manager:\n", serial);
      std::fflush(stderr);
      std::string line = device.base32_seed + "\n";
      std::fwrite(line.data(), 1, line.size(), stdout);
      secure_zero(line.data(), line.size());
    } else {
      auto matrix = encode_qr(uri);
      if (!matrix.ok()) {
        secure_zero(uri.data(), uri.size());
        return std::move(matrix).error();
      }
      fmt::print(stderr, "mfaenv: scan this QR code with your authenticator app (device {}):\n", serial);
      std::fflush(stderr);
      std::string text = draw_qr_text(*matrix, colour_terminal(STDOUT_FILENO) ? TerminalColors::kAnsi
                                                                               : TerminalColors::kPlain);
      std::fwrite(text.data(), 1, text.size(), stdout);
      secure_zero(text.data(), text.size());
    }
    secure_zero(uri.data(), uri.size());
    std::fflush(stdout);

    CodeReader reader;
    for (int attempt = 1;; ++attempt) {
      std::string first = MFAENV_TRY(reader.read_code("Enter the code your app shows now: "));
      std::string second;
      for (;;) {
        second = MFAENV_TRY(reader.read_code("Wait for the next code, then enter it: "));
        if (second != first) break;
        fmt::print(stderr, "mfaenv: that is the same code; wait until the app shows a new one\n");
      }
      auto enable = iam.enable_mfa_device(keys, user.user_name, serial, first, second);
      if (enable.ok()) {
        // AWS takes only newer codes from now on: the first login waits for the next one.
        (void)ctx->cache->remember_used_code(device_key(serial), second);
      }
      secure_zero(first.data(), first.size());
      secure_zero(second.data(), second.size());
      if (enable.ok()) break;
      if (enable.reason() != IamErrorReason::kInvalidAuthenticationCode || attempt == kCodeAttempts)
        return std::move(enable).error();
      fmt::print(stderr, "mfaenv: AWS did not accept the two codes (they must be two consecutive codes of this "
                 "device); try again\n");
    }
    enabled = true;
    const std::string& config = ctx->config.paths().config;
    MFAENV_CHECK(set_config_value(config, ctx->chain.source.profile, "mfa_serial", serial));
    fmt::print(stderr, "mfaenv: {} now has the MFA device {}; mfa_serial written to profile '{}' in {}\n",
               user.user_name, serial, ctx->chain.source.profile, config);
    return {};
  };
  Status status = enrol();
  if (!status.ok()) {
    fmt::print(stderr, "mfaenv: enrolment failed: {}\n", status.error().message);
    delete_device(iam, keys, user.user_name, serial, enabled);
    Error error = std::move(status).error();
    error.message = "no MFA device was enrolled for " + user.user_name;
    return error;
  }
  fmt::print(stderr,
             "mfaenv: next, make AWS require it:\n"
             "  mfaenv policy generate --self-manage --max-age 1h > require-mfa.json\n"
             "  {}\n",
             suggested_command("policy attach", {ctx->profile, "require-mfa.json", "--user", user.user_name}));
  return {};
}

}  // namespace mfaenv

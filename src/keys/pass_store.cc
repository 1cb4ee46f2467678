// The `pass` backend: entry mfaenv/<profile> of the password store, written with
// `pass insert --multiline --force` and read with `pass show`; the secret goes through stdin and
// stdout only. The entry follows pass's convention: the secret on the first line, then
// "aws_access_key_id: …" and "stored_at: …" lines.
#include "keys/child_process.h"
#include "keys/key_record.h"
#include "keys/store_backends.h"
#include "util/strings.h"

namespace mfaenv {
namespace {

constexpr Seconds kPassTimeout{120};  // gpg may wait for a pinentry

std::string store_dir() {
  if (auto d = env("PASSWORD_STORE_DIR"); d && !d->empty()) return *d;
  return expand_user("~/.password-store");
}

// pass's stderr, first line only, for an error message (it holds no secret: pass prints the
// secret on stdout only).
std::string first_line(const std::string& text) {
  std::string line(trim(text.substr(0, text.find('\n'))));
  return line.empty() ? std::string("no message") : line;
}

class PassStore : public KeyStore {
 public:
  explicit PassStore(KeyStoreOptions options) : options_(options) {}
  KeyBackend backend() const override { return KeyBackend::kPass; }
  std::string location(std::string_view profile) const override {
    return fmt::format("pass entry mfaenv/{}", profile);
  }

  Result<std::optional<Credentials>> get(std::string_view profile) override {
    MFAENV_CHECK(check_profile_name_for_store(profile));
    const std::string entry = "mfaenv/" + std::string(profile);
    if (file_type(store_dir() + "/" + entry + ".gpg") == FileType::kMissing) return std::optional<Credentials>();
    // Under --no-prompt gpg must not start a pinentry: a locked key is then a clear exit 3.
    auto run = MFAENV_TRY(run_pass({"pass", "show", entry}, "", options_.prompt == KeyPrompt::kNever));
    if (run.exit_status != 0) {
      wipe(run.out);
      if (options_.prompt == KeyPrompt::kNever)
        return make_error(ErrorKind::kMfaCodeNeeded,
                          "cannot read the keys of profile '{}' from pass without asking ({}): unlock your GnuPG key "
                          "(run 'pass show {}' once) or run without --no-prompt",
                          profile, first_line(run.err), entry);
      return make_error(ErrorKind::kGeneric, "pass show {} failed: {}", entry, first_line(run.err));
    }
    auto creds = parse_entry(run.out, entry);
    wipe(run.out);
    return creds;
  }

  Status put(std::string_view profile, const Credentials& keys) override {
    MFAENV_CHECK(check_profile_name_for_store(profile));
    const std::string entry = "mfaenv/" + std::string(profile);
    std::string body = fmt::format("{}\naws_access_key_id: {}\nstored_at: {}\n", keys.secret_access_key,
                                   keys.access_key_id, format_rfc3339(system_now()));
    auto run = run_pass({"pass", "insert", "--multiline", "--force", entry}, body, false);
    wipe(body);
    if (!run) return run.error();
    if (run->exit_status != 0)
      return make_error(ErrorKind::kGeneric, "pass insert {} failed: {} (is the store set up? 'pass init GPG-ID')", entry,
                        first_line(run->err));
    return {};
  }

  Status remove(std::string_view profile) override {
    MFAENV_CHECK(check_profile_name_for_store(profile));
    const std::string entry = "mfaenv/" + std::string(profile);
    if (file_type(store_dir() + "/" + entry + ".gpg") == FileType::kMissing) return {};
    auto run = MFAENV_TRY(run_pass({"pass", "rm", "--force", entry}, "", false));
    if (run.exit_status != 0) return make_error(ErrorKind::kGeneric, "pass rm {} failed: {}", entry, first_line(run.err));
    return {};
  }

  Result<std::vector<StoredKeyInfo>> list() override {
    std::vector<StoredKeyInfo> out;
    const std::string dir = store_dir() + "/mfaenv";
    if (file_type(dir) != FileType::kDirectory) return out;
    auto names = list_directory(dir);
    for (const std::string& name : names) {
      if (name.size() <= 4 || name.substr(name.size() - 4) != ".gpg") continue;
      StoredKeyInfo info;
      info.profile = name.substr(0, name.size() - 4);
      // The key id is inside the encrypted entry: shown only when gpg can decrypt without asking.
      if (auto creds = PassStore(KeyStoreOptions{KeyPrompt::kNever, nullptr, nullptr}).get(info.profile); creds && *creds)
        info.key_hint = key_hint((*creds)->access_key_id);
      out.push_back(std::move(info));
    }
    return out;
  }

 private:
  static Result<ChildResult> run_pass(const std::vector<std::string>& argv, const std::string& input, bool no_prompt) {
    std::vector<std::string> extra;
    // Without a terminal for pinentry, gpg-agent fails at once instead of waiting.
    if (no_prompt) extra.push_back("GPG_TTY=");
    auto run = run_child(argv, input, kPassTimeout, extra);
    if (!run && run.error().message.find("No such file") != std::string::npos)
      return make_error(ErrorKind::kGeneric, "the pass backend needs the 'pass' program: apt-get install pass");
    return run;
  }

  static Result<std::optional<Credentials>> parse_entry(const std::string& text, const std::string& entry) {
    Credentials c;
    const auto lines = split(text, '\n');
    if (!lines.empty()) c.secret_access_key = lines[0];
    for (const auto& line : lines)
      if (starts_with(line, "aws_access_key_id:")) c.access_key_id = std::string(trim(line.substr(18)));
    if (auto st = check_long_term_keys(c); !st.ok())
      return make_error(ErrorKind::kGeneric, "pass entry {} is not an mfaenv key entry ({})", entry, st.error().message);
    return std::optional<Credentials>(std::move(c));
  }

  static std::vector<std::string> list_directory(const std::string& dir);

  KeyStoreOptions options_;
};

}  // namespace
}  // namespace mfaenv

#include <dirent.h>

namespace mfaenv {
namespace {

std::vector<std::string> PassStore::list_directory(const std::string& dir) {
  std::vector<std::string> out;
  if (DIR* d = opendir(dir.c_str())) {
    while (dirent* e = readdir(d)) out.emplace_back(e->d_name);
    closedir(d);
  }
  return out;
}

}  // namespace

std::unique_ptr<KeyStore> make_pass_store(const KeyStoreOptions& options) { return std::make_unique<PassStore>(options); }

}  // namespace mfaenv

// Key file sealing with libsodium: crypto_pwhash (Argon2id 1.3) and
// crypto_aead_xchacha20poly1305_ietf. Every length and cost in the header is checked before use,
// so a hostile file can neither crash mfaenv nor make it spend more than 1 GiB or 10 passes.
#include "keys/sealed_file.h"

#include <array>
#include <cstring>

#include <sodium.h>

#include "aws/credentials.h"
#include "util/strings.h"

namespace mfaenv {
namespace {

constexpr std::string_view kMagic = "MFAENVKEY";  // then the version byte
constexpr uint8_t kVersion = 1;
constexpr uint8_t kKdfArgon2id13 = 1;
constexpr size_t kSaltBytes = crypto_pwhash_SALTBYTES;                        // 16
constexpr size_t kNonceBytes = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;  // 24
constexpr size_t kTagBytes = crypto_aead_xchacha20poly1305_ietf_ABYTES;      // 16
constexpr uint32_t kMaxOps = 10;
constexpr uint32_t kMaxMemKib = 1024 * 1024;  // 1 GiB
constexpr size_t kMaxMeta = 1024;

void put_u32(std::string& out, uint32_t v) {
  for (int i = 0; i < 4; ++i) out += static_cast<char>((v >> (8 * i)) & 0xff);
}
uint32_t get_u32(std::string_view s, size_t at) {
  uint32_t v = 0;
  for (int i = 3; i >= 0; --i) v = (v << 8) | static_cast<uint8_t>(s[at + static_cast<size_t>(i)]);
  return v;
}

std::string encode_meta(const SealedFileInfo& info) {
  // Three lines of text; the values are checked to hold no newline.
  return info.profile + "\n" + info.key_hint + "\n" + info.stored_at;
}

struct Header {
  KdfCost cost;
  std::string_view salt, nonce, meta;
  size_t size = 0;  // bytes up to the ciphertext: the associated data
};

Result<Header> parse_header(std::string_view f, std::string_view path) {
  auto bad = [&](std::string_view what) {
    return make_error(ErrorKind::kGeneric, "{} is not a usable mfaenv key file ({}); restore it from a backup or store "
                      "the keys again with 'mfaenv keys add'", path, what);
  };
  const size_t fixed = kMagic.size() + 1 + 1 + 4 + 4 + kSaltBytes + kNonceBytes + 2;
  if (f.size() < kMagic.size() || f.substr(0, kMagic.size()) != kMagic) return bad("it does not start with MFAENVKEY");
  if (f.size() < fixed) return bad("it is truncated");
  size_t at = kMagic.size();
  if (static_cast<uint8_t>(f[at]) != kVersion) return bad(fmt::format("format version {} is not known", static_cast<int>(static_cast<uint8_t>(f[at]))));
  ++at;
  if (static_cast<uint8_t>(f[at]) != kKdfArgon2id13) return bad("unknown key derivation");
  ++at;
  Header h;
  h.cost.opslimit = get_u32(f, at);
  h.cost.memlimit_kib = get_u32(f, at + 4);
  at += 8;
  if (h.cost.opslimit < crypto_pwhash_OPSLIMIT_MIN || h.cost.opslimit > kMaxOps ||
      h.cost.memlimit_kib < crypto_pwhash_MEMLIMIT_MIN / 1024 || h.cost.memlimit_kib > kMaxMemKib)
    return bad("its key derivation cost is out of range");
  h.salt = f.substr(at, kSaltBytes);
  at += kSaltBytes;
  h.nonce = f.substr(at, kNonceBytes);
  at += kNonceBytes;
  const size_t meta_len = static_cast<uint8_t>(f[at]) | (static_cast<size_t>(static_cast<uint8_t>(f[at + 1])) << 8);
  at += 2;
  if (meta_len > kMaxMeta) return bad("its header is too long");
  if (f.size() < at + meta_len + kTagBytes) return bad("it is truncated");
  h.meta = f.substr(at, meta_len);
  h.size = at + meta_len;
  return h;
}

Result<std::array<unsigned char, crypto_aead_xchacha20poly1305_ietf_KEYBYTES>> derive(std::string_view passphrase,
                                                                                       std::string_view salt, KdfCost cost) {
  std::array<unsigned char, crypto_aead_xchacha20poly1305_ietf_KEYBYTES> key{};
  if (sodium_init() < 0) return make_error(ErrorKind::kGeneric, "libsodium failed to initialise");
  if (crypto_pwhash(key.data(), key.size(), passphrase.data(), passphrase.size(),
                    reinterpret_cast<const unsigned char*>(salt.data()), cost.opslimit,
                    static_cast<size_t>(cost.memlimit_kib) * 1024, crypto_pwhash_ALG_ARGON2ID13) != 0)
    return make_error(ErrorKind::kGeneric, "not enough memory to derive the key file's key ({} MiB)", cost.memlimit_kib / 1024);
  return key;
}

}  // namespace

KdfCost KdfCost::interactive() {
  return {static_cast<uint32_t>(crypto_pwhash_OPSLIMIT_INTERACTIVE),
          static_cast<uint32_t>(crypto_pwhash_MEMLIMIT_INTERACTIVE / 1024)};
}
KdfCost KdfCost::minimum() {
  return {static_cast<uint32_t>(crypto_pwhash_OPSLIMIT_MIN), static_cast<uint32_t>(crypto_pwhash_MEMLIMIT_MIN / 1024)};
}

Result<std::string> seal_key_file(std::string_view plaintext, std::string_view passphrase, const SealedFileInfo& info,
                                  KdfCost cost) {
  for (const std::string* v : {&info.profile, &info.key_hint, &info.stored_at})
    if (v->find('\n') != std::string::npos) return make_error(ErrorKind::kGeneric, "internal error: newline in key file header");
  if (sodium_init() < 0) return make_error(ErrorKind::kGeneric, "libsodium failed to initialise");
  const std::string meta = encode_meta(info);
  if (meta.size() > kMaxMeta) return make_error(ErrorKind::kUsage, "the profile name is too long for a key file");
  std::string out(kMagic);
  out += static_cast<char>(kVersion);
  out += static_cast<char>(kKdfArgon2id13);
  put_u32(out, cost.opslimit);
  put_u32(out, cost.memlimit_kib);
  std::string salt(kSaltBytes, '\0'), nonce(kNonceBytes, '\0');
  randombytes_buf(salt.data(), salt.size());
  randombytes_buf(nonce.data(), nonce.size());
  out += salt;
  out += nonce;
  out += static_cast<char>(meta.size() & 0xff);
  out += static_cast<char>(meta.size() >> 8);
  out += meta;
  auto key = MFAENV_TRY(derive(passphrase, salt, cost));
  const size_t header = out.size();
  out.resize(header + plaintext.size() + kTagBytes);
  unsigned long long written = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(reinterpret_cast<unsigned char*>(out.data() + header), &written,
                                             reinterpret_cast<const unsigned char*>(plaintext.data()), plaintext.size(),
                                             reinterpret_cast<const unsigned char*>(out.data()), header, nullptr,
                                             reinterpret_cast<const unsigned char*>(nonce.data()), key.data());
  sodium_memzero(key.data(), key.size());
  out.resize(header + written);
  return out;
}

Result<SealedFileInfo> read_key_file_info(std::string_view file, std::string_view path) {
  Header h = MFAENV_TRY(parse_header(file, path));
  auto lines = split(h.meta, '\n');
  if (lines.size() != 3)
    return make_error(ErrorKind::kGeneric, "{} is not a usable mfaenv key file (its header is damaged)", path);
  return SealedFileInfo{lines[0], lines[1], lines[2]};
}

Result<std::string> open_key_file(std::string_view file, std::string_view passphrase, std::string_view path) {
  Header h = MFAENV_TRY(parse_header(file, path));
  auto key = MFAENV_TRY(derive(passphrase, h.salt, h.cost));
  const std::string_view sealed = file.substr(h.size);
  std::string plain(sealed.size() - kTagBytes, '\0');
  unsigned long long length = 0;
  const int rc = crypto_aead_xchacha20poly1305_ietf_decrypt(
      reinterpret_cast<unsigned char*>(plain.data()), &length, nullptr,
      reinterpret_cast<const unsigned char*>(sealed.data()), sealed.size(),
      reinterpret_cast<const unsigned char*>(file.data()), h.size,
      reinterpret_cast<const unsigned char*>(h.nonce.data()), key.data());
  sodium_memzero(key.data(), key.size());
  if (rc != 0) {
    wipe(plain);
    return make_error(ErrorKind::kGeneric,
                      "cannot open {}: wrong passphrase, or the file was changed since mfaenv wrote it", path);
  }
  plain.resize(length);
  return plain;
}

}  // namespace mfaenv

// SHA-256 against FIPS 180-4 examples and HMAC-SHA-256 against RFC 4231.
#include "crypto/digest.h"

#include <gtest/gtest.h>

#include <string>

namespace mfaenv {
namespace {

std::string unhex(std::string_view hex) {
  std::string out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) out.push_back(static_cast<char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16)));
  return out;
}

TEST(Sha256, KnownAnswers) {
  EXPECT_EQ(to_hex(sha256("")), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(to_hex(sha256("abc")), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(to_hex(sha256("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  EXPECT_EQ(to_hex(sha256(std::string(1000000, 'a'))),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
  // Embedded NUL bytes are data, not terminators.
  EXPECT_NE(to_hex(sha256(std::string("a\0b", 3))), to_hex(sha256("a")));
}

TEST(HmacSha256, Rfc4231) {
  // Test case 1: 20-byte key.
  EXPECT_EQ(to_hex(hmac_sha256(std::string(20, '\x0b'), "Hi There")),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
  // Test case 2: short key.
  EXPECT_EQ(to_hex(hmac_sha256("Jefe", "what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  // Test case 4: 25-byte key 0x01..0x19, 50 bytes of 0xcd.
  EXPECT_EQ(to_hex(hmac_sha256(unhex("0102030405060708090a0b0c0d0e0f10111213141516171819"), std::string(50, '\xcd'))),
            "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b");
  // Test case 6: a 131-byte key, longer than the block, is hashed first.
  EXPECT_EQ(to_hex(hmac_sha256(std::string(131, '\xaa'), "Test Using Larger Than Block-Size Key - Hash Key First")),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}

TEST(Hex, LowerCaseTwoDigitsPerByte) {
  const uint8_t data[] = {0x00, 0x0f, 0xa0, 0xff};
  EXPECT_EQ(to_hex(data, sizeof data), "000fa0ff");
  EXPECT_EQ(to_hex(data, 0), "");
}

TEST(SecureZero, ClearsTheBytes) {
  char buffer[] = "secret";
  secure_zero(buffer, sizeof buffer);
  for (char c : buffer) EXPECT_EQ(c, '\0');
  secure_zero(nullptr, 0);  // a no-op, not a crash
}

}  // namespace
}  // namespace mfaenv

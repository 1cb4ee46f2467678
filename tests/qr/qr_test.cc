// The QR module's own rules: serials parsed, URIs built as IAM documents them, the text drawing's
// shape, and the PNG's structure. Decoding by a real reader is in read_back_test.py.
#include <gtest/gtest.h>

#include "qr/otpauth.h"
#include "qr/png.h"
#include "qr/qr_code.h"
#include "qr/terminal.h"

namespace mfaenv {
namespace {

TEST(Otpauth, ParsesSerials) {
  auto d = parse_mfa_serial("arn:aws:iam::123456789012:mfa/alice");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->account, "123456789012");
  EXPECT_EQ(d->name, "alice");
  d = parse_mfa_serial("arn:aws-cn:iam::123456789012:mfa/team/bob-phone");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->name, "bob-phone");
  EXPECT_FALSE(parse_mfa_serial("arn:aws:iam::12345678901:mfa/alice"));   // 11 digits
  EXPECT_FALSE(parse_mfa_serial("arn:aws:iam::123456789012:user/alice"));
  EXPECT_FALSE(parse_mfa_serial("arn:aws:iam::123456789012:mfa/"));
  EXPECT_FALSE(parse_mfa_serial("GAHT12345678"));  // a hardware token's serial
}

TEST(Otpauth, BuildsTheDocumentedUri) {
  EXPECT_EQ(otpauth_uri({"123456789012", "alice"}, "JBSWY3DPEHPK3PXP"),
            "otpauth://totp/alice@123456789012?secret=JBSWY3DPEHPK3PXP");
  EXPECT_EQ(otpauth_uri({"123456789012", "a+b=c,d@e"}, "X"), "otpauth://totp/a%2Bb%3Dc%2Cd%40e@123456789012?secret=X");
}

TEST(QrText, TwoRowsPerLineWithAQuietZone) {
  auto m = encode_qr("otpauth://totp/alice@123456789012?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP");
  ASSERT_TRUE(m.ok()) << m.error().message;
  const int side = m->width() + 2 * kTextQuietZone;
  const std::string text = draw_qr_text(*m, TerminalColors::kPlain);
  int lines = 0;
  size_t start = 0;
  for (size_t nl; (nl = text.find('\n', start)) != std::string::npos; start = nl + 1, ++lines) {
    // Every character is 3 bytes of UTF-8 or one space.
    int columns = 0;
    for (size_t i = start; i < nl;) {
      i += text[i] == ' ' ? 1 : 3;
      ++columns;
    }
    EXPECT_EQ(columns, side);
  }
  EXPECT_EQ(lines, (side + 1) / 2);
  // The first line is all quiet zone: light, so full blocks.
  EXPECT_EQ(text.substr(0, 3), "\u2588");
  const std::string ansi = draw_qr_text(*m, TerminalColors::kAnsi);
  EXPECT_EQ(ansi.substr(0, 8), "\x1b[97;40m");
  EXPECT_NE(ansi.find("\x1b[0m\n"), std::string::npos);
}

TEST(QrPng, HasTheSignatureAndChunks) {
  auto m = encode_qr("hello");
  ASSERT_TRUE(m.ok());
  const std::string png = qr_png(*m, 4);
  EXPECT_EQ(png.substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8));
  EXPECT_EQ(png.substr(12, 4), "IHDR");
  const uint32_t width = (uint8_t(png[16]) << 24) | (uint8_t(png[17]) << 16) | (uint8_t(png[18]) << 8) | uint8_t(png[19]);
  EXPECT_EQ(width, static_cast<uint32_t>((m->width() + 8) * 4));
  EXPECT_EQ(png.substr(png.size() - 8, 4), "IEND");
}

TEST(QrCode, RefusesTextsTooLongForAQrCode) {
  auto m = encode_qr(std::string(5000, 'x'));
  ASSERT_FALSE(m.ok());
  EXPECT_NE(m.error().message.find("--secret"), std::string::npos);
}

}  // namespace
}  // namespace mfaenv

// Tests for util/utf8: the one UTF-8 checker the config reader, STS answers and JSON output share.
#include "util/utf8.h"

#include <gtest/gtest.h>

namespace mfaenv {
namespace {

TEST(Utf8, InvalidUtf8IsFoundWhereCPythonFindsIt) {
  EXPECT_EQ(invalid_utf8_offset("plain ascii"), std::string_view::npos);
  EXPECT_EQ(invalid_utf8_offset("caf\u00e9 \U0001F642"), std::string_view::npos);
  EXPECT_EQ(invalid_utf8_offset("ab\xff"), 2u);
  EXPECT_EQ(invalid_utf8_offset("a\xc0\xaf"), 1u);          // overlong
  EXPECT_EQ(invalid_utf8_offset("a\xed\xa0\x80"), 1u);      // surrogate
  EXPECT_EQ(invalid_utf8_offset("a\xf4\x90\x80\x80"), 1u);  // above U+10FFFF
  EXPECT_EQ(invalid_utf8_offset("a\xe2\x82"), 1u);          // truncated
  EXPECT_EQ(invalid_utf8_offset("a\x80"), 1u);              // lone continuation byte
}

TEST(Utf8, WhereAByteByByteDecoderNotices) {
  size_t at = 0;
  EXPECT_EQ(invalid_utf8_offset("ab\xff", &at), 2u);
  EXPECT_EQ(at, 2u);  // a bad lead byte: at once
  EXPECT_EQ(invalid_utf8_offset("a\xe2\x28\xa1", &at), 1u);
  EXPECT_EQ(at, 2u);  // a bad continuation byte: that byte
  EXPECT_EQ(invalid_utf8_offset("a\xf0\x9f\x99x", &at), 1u);
  EXPECT_EQ(at, 4u);
  EXPECT_EQ(invalid_utf8_offset("a\xe2\x82", &at), 1u);
  EXPECT_EQ(at, 3u);  // cut off by the end: the end
  EXPECT_EQ(invalid_utf8_offset("a\xed\xa0\x80", &at), 1u);
  EXPECT_EQ(at, 2u);  // a surrogate is noticed at its second byte
}

TEST(Utf8, SequencesAndMaximalSubparts) {
  EXPECT_EQ(utf8_sequence("a"), 1);
  EXPECT_EQ(utf8_sequence("\u00e9"), 2);
  EXPECT_EQ(utf8_sequence("\U0001F642"), 4);
  EXPECT_EQ(utf8_sequence("\xff"), -1);
  EXPECT_EQ(utf8_sequence("\xf0\x9f\x99"), -3);  // one U+FFFD for the three bytes
  EXPECT_TRUE(is_valid_utf8("\u00e9\xf4\x8f\xbf\xbf"));
  EXPECT_FALSE(is_valid_utf8("\xc0\xaf"));
}

TEST(Utf8, EncodesEveryLength) {
  std::string s;
  for (uint32_t cp : {0x41u, 0xE9u, 0x20ACu, 0x1F642u}) append_utf8(s, cp);
  EXPECT_EQ(s, "A\u00e9\u20ac\U0001F642");
  EXPECT_TRUE(is_valid_utf8(s));
}

}  // namespace
}  // namespace mfaenv

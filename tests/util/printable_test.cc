// Text for people: data is shown with its control characters escaped and cut to a length
// (issue 13, defect 8).
#include "util/printable.h"

#include <gtest/gtest.h>

namespace mfaenv {
namespace {

TEST(Printable, PlainTextAndUtf8AreKept) {
  EXPECT_EQ(printable("arn:aws:iam::123456789012:user/alice"), "arn:aws:iam::123456789012:user/alice");
  EXPECT_EQ(printable("caf\xc3\xa9 \xe2\x82\xac"), "caf\xc3\xa9 \xe2\x82\xac");
}

TEST(Printable, ControlCharactersAreEscaped) {
  EXPECT_EQ(printable("a\x1b]0;owned\x07" "b"), "a\\x1b]0;owned\\x07b");  // a window title change
  EXPECT_EQ(printable("line\r\nmfaenv: forged"), "line\\r\\nmfaenv: forged");
  EXPECT_EQ(printable("tab\there\x7f"), "tab\\there\\x7f");
  EXPECT_EQ(printable("c1 \xc2\x9b" "2J"), "c1 \\u009b2J");                  // 8-bit CSI
  EXPECT_EQ(printable("\xe2\x80\xae" "gnp.exe"), "\\u202egnp.exe");          // right-to-left override
  EXPECT_EQ(printable("bad \xff\xc3"), "bad \\xff\\xc3");                     // not UTF-8
  EXPECT_EQ(printable(std::string_view("nul\0x", 5)), "nul\\x00x");
}

TEST(Printable, LongTextIsCut) {
  const std::string big(5 << 20, 'A');
  const std::string shown = printable(big);
  EXPECT_EQ(shown, std::string(kMaxQuotedText, 'A') + "... (" + std::to_string(big.size() - kMaxQuotedText) + " more bytes)");
}

}  // namespace
}  // namespace mfaenv

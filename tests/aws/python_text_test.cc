// Tests for Python's str/shlex rules on UTF-8 (the expectations are what CPython 3.11 gives).
#include "aws/python_text.h"

#include <gtest/gtest.h>

namespace mfaenv::python {
namespace {

TEST(PythonText, StripRemovesUnicodeWhitespaceButNotBom) {
  EXPECT_EQ(strip(" \t\x0b\x0c\x1c\x1f a b \r\n"), "a b");
  EXPECT_EQ(strip("\u00a0\u3000x\u2028\u0085"), "x");
  EXPECT_EQ(strip("\ufeffx"), "\ufeffx");  // U+FEFF is not str.isspace()
  EXPECT_EQ(strip("\u200bx"), "\u200bx");  // nor is ZERO WIDTH SPACE
  EXPECT_EQ(lstrip("  x "), "x ");
  EXPECT_EQ(rstrip("  x \u2003"), "  x");
  EXPECT_EQ(strip(" \u00a0 "), "");
}

TEST(PythonText, SpaceBeforeDoesNotMistakeMultibyteLetters) {
  // "\u00e0" ends in 0xA0 like U+00A0, but is a letter.
  EXPECT_EQ(rstrip("x\u00e0"), "x\u00e0");
  EXPECT_EQ(rstrip("x\u0100\u0085"), "x\u0100");
}

TEST(PythonText, LineBreaksAreThoseOfSplitlines) {
  for (std::string_view brk : {"\n", "\r", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\u0085", "\u2028", "\u2029"}) {
    EXPECT_EQ(line_break_at(std::string("a") + std::string(brk) + "b", 1), brk.size()) << brk.size();
  }
  EXPECT_EQ(line_break_at("a\r\nb", 1), 2u);
  EXPECT_EQ(line_break_at("a\x1f" "b", 1), 0u);  // whitespace, but not a line break
  EXPECT_EQ(line_break_at("a\u00a0b", 1), 0u);
}

TEST(PythonText, LowerFollowsStrLower) {
  std::string out;
  EXPECT_FALSE(lower("region", out));
  ASSERT_TRUE(lower("REGION", out));
  EXPECT_EQ(out, "region");
  ASSERT_TRUE(lower("ÄRGER Œuvre Ωmega ДОМ", out));
  EXPECT_EQ(out, "ärger œuvre ωmega дом");
  ASSERT_TRUE(lower("İ", out));
  EXPECT_EQ(out, "i\u0307");
  ASSERT_TRUE(lower("\u212a", out));  // KELVIN SIGN
  EXPECT_EQ(out, "k");
  ASSERT_TRUE(lower("\U00010400", out));  // DESERET CAPITAL LONG I
  EXPECT_EQ(out, "\U00010428");
  EXPECT_FALSE(lower("日本 ß ǆ", out));
  ASSERT_TRUE(lower("ǅ", out));  // title case lowers too
  EXPECT_EQ(out, "ǆ");
}

TEST(PythonText, ShlexSplitsLikePosixShlex) {
  using V = std::vector<std::string>;
  EXPECT_EQ(shlex_split("profile a"), V({"profile", "a"}));
  EXPECT_EQ(shlex_split("profile  a\t"), V({"profile", "a"}));
  EXPECT_EQ(shlex_split("profile \"a b\""), V({"profile", "a b"}));
  EXPECT_EQ(shlex_split("profile 'a \"b'"), V({"profile", "a \"b"}));
  EXPECT_EQ(shlex_split("profile \"\""), V({"profile", ""}));
  EXPECT_EQ(shlex_split("profile a\"\"b'c d'"), V({"profile", "abc d"}));
  EXPECT_EQ(shlex_split("profile \"a\\\"b\\\\c\\d\""), V({"profile", "a\"b\\c\\d"}));
  EXPECT_EQ(shlex_split("profile e\\ f"), V({"profile", "e f"}));
  EXPECT_EQ(shlex_split("profile a#b"), V({"profile", "a#b"}));  // no comments
  EXPECT_EQ(shlex_split("profile\u00a0a"), V({"profile\u00a0a"}));  // only " \t\r\n" separate words
  EXPECT_EQ(shlex_split(""), V());
  EXPECT_EQ(shlex_split("profile \"a"), std::nullopt);
  EXPECT_EQ(shlex_split("profile a\\"), std::nullopt);
}

}  // namespace
}  // namespace mfaenv::python

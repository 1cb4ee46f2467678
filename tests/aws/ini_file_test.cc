// Tests for the configparser-compatible INI reader: structure, continuation lines, and which error
// (and line) configparser would report.
#include "aws/ini_file.h"

#include <gtest/gtest.h>

namespace mfaenv {
namespace {

IniFile parse_ini_ok(std::string_view text) {
  auto ini = parse_ini(text, "f");
  EXPECT_TRUE(ini.ok()) << (ini.ok() ? "" : ini.error().message);
  return ini.ok() ? std::move(ini).value() : IniFile{};
}

std::string parse_error(std::string_view text) {
  auto ini = parse_ini(text, "f");
  EXPECT_FALSE(ini.ok());
  if (ini.ok()) return "";
  EXPECT_EQ(ini.error().kind, ErrorKind::kConfigInvalid);
  return ini.error().message;
}

TEST(IniFile, SectionsOptionsAndLowerCasedKeys) {
  const IniFile ini = parse_ini_ok("# c\n[default]\nRegion = us-east-1\noutput:json\n\n[profile a b]\nk=v=w\n");
  ASSERT_EQ(ini.sections.size(), 2u);
  EXPECT_EQ(ini.sections[0].name, "default");
  EXPECT_EQ(ini.sections[0].line, 2);
  ASSERT_EQ(ini.sections[0].options.size(), 2u);
  EXPECT_EQ(ini.sections[0].options[0].key, "region");
  EXPECT_EQ(ini.sections[0].options[0].value(), "us-east-1");
  EXPECT_EQ(ini.sections[0].options[1].key, "output");
  EXPECT_EQ(ini.sections[0].options[1].value(), "json");
  EXPECT_EQ(ini.sections[1].name, "profile a b");
  EXPECT_EQ(ini.sections[1].options[0].value(), "v=w");
}

TEST(IniFile, NoInlineCommentsAndFirstDelimiterSplits) {
  const IniFile ini = parse_ini_ok("[s]\na = x # y\nb = x ; y\nc:d = e\nurl = https://h:1/\n");
  const auto& o = ini.sections[0].options;
  EXPECT_EQ(o[0].value(), "x # y");
  EXPECT_EQ(o[1].value(), "x ; y");
  EXPECT_EQ(o[2].key, "c");
  EXPECT_EQ(o[2].value(), "d = e");
  EXPECT_EQ(o[3].value(), "https://h:1/");
}

TEST(IniFile, HeaderEndsAtTheLastBracketAndKeepsItsSpaces) {
  const IniFile ini = parse_ini_ok("[ profile a ] trailing\n[x]y]\n");
  EXPECT_EQ(ini.sections[0].name, " profile a ");
  EXPECT_EQ(ini.sections[1].name, "x]y");
}

TEST(IniFile, ContinuationLinesBlankLinesAndComments) {
  const IniFile ini = parse_ini_ok("[s]\nk = first\n  second\n\n  # not part\n    third\n\n\nj = x\n");
  const auto& k = ini.sections[0].options[0];
  EXPECT_EQ(k.value(), "first\nsecond\n\nthird");
  EXPECT_FALSE(k.is_nested());
  EXPECT_EQ(ini.sections[0].options[1].value(), "x");
}

TEST(IniFile, NestedBlockStartsWithAnEmptyValue) {
  const IniFile ini = parse_ini_ok("[s]\ns3 =\n  a = 1\n  b = 2\nempty =\n\nr = x\n");
  EXPECT_TRUE(ini.sections[0].options[0].is_nested());
  EXPECT_EQ(ini.sections[0].options[0].value(), "\na = 1\nb = 2");
  EXPECT_FALSE(ini.sections[0].options[1].is_nested());
  EXPECT_EQ(ini.sections[0].options[1].value(), "");
}

TEST(IniFile, IndentIsComparedWithTheLastSettingLine) {
  // The first setting may be indented; a later line is a continuation only when indented deeper.
  const IniFile ini = parse_ini_ok("[s]\n  a = 1\nb = 2\n    c\n\td = 3\n");
  const auto& o = ini.sections[0].options;
  ASSERT_EQ(o.size(), 2u);
  EXPECT_EQ(o[1].value(), "2\nc\nd = 3");
}

TEST(IniFile, LineEndingsCountLikePython) {
  const IniFile ini = parse_ini_ok("[a]\r\nk = 1\r[b]\nj = 2");
  ASSERT_EQ(ini.sections.size(), 2u);
  EXPECT_EQ(ini.sections[1].line, 3);
  EXPECT_EQ(ini.sections[1].options[0].value(), "2");
}

TEST(IniFile, DefaultSectionIsSeparateAndMayRepeat) {
  const IniFile ini = parse_ini_ok("[DEFAULT]\na = 1\n[x]\n[DEFAULT]\nb = 2\n");
  ASSERT_EQ(ini.sections.size(), 1u);
  ASSERT_EQ(ini.defaults.options.size(), 2u);
  EXPECT_EQ(ini.defaults.options[1].key, "b");
  EXPECT_NE(parse_error("[DEFAULT]\na = 1\n[DEFAULT]\nA = 2\n").find("f:4:"), std::string::npos);
}

TEST(IniFile, DuplicatesStopAtTheirLine) {
  EXPECT_EQ(parse_error("[a]\nk = 1\n[a]\n").rfind("f:3: section [a] appears a second time (first at line 1)", 0), 0u);
  EXPECT_EQ(parse_error("[a]\nk = 1\nK: 2\n").rfind("f:3: key 'k' appears a second time", 0), 0u);
  // A duplicate wins over an earlier bad line: configparser raises it at once.
  EXPECT_EQ(parse_error("[a]\nbogus\n[a]\n").rfind("f:3:", 0), 0u);
}

TEST(IniFile, BadLinesAreReportedAtTheEndFirstOneFirst) {
  EXPECT_EQ(parse_error("[a]\nk = 1\nbogus\nmore bogus\n").rfind("f:3: this line is neither", 0), 0u);
  EXPECT_EQ(parse_error("[a]\n= v\n").rfind("f:2: the setting has no key before '='", 0), 0u);
  EXPECT_EQ(parse_error("[a]\n[]\n").rfind("f:2:", 0), 0u);
}

TEST(IniFile, TextBeforeTheFirstSection) {
  EXPECT_EQ(parse_error("\n# c\nregion = x\n").rfind("f:3: text before the first section header", 0), 0u);
  EXPECT_NE(parse_error("\xef\xbb\xbf[default]\n").find("f:1: the file starts with a byte order mark"),
            std::string::npos);
}

TEST(IniFile, InvalidUtf8NamesItsLine) {
  EXPECT_EQ(parse_error("[a]\r\nk = 1\r\nj = \xff\n").rfind("f:3: byte 0xFF is not valid UTF-8", 0), 0u);
}

TEST(IniFile, ErrorsNeverQuoteTheLine) {
  const std::string secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
  EXPECT_EQ(parse_error(secret + "\n[a]\n").find(secret), std::string::npos);
  EXPECT_EQ(parse_error("[a]\n" + secret + "\n").find(secret), std::string::npos);
}

TEST(IniFile, RepeatedSectionWinsOverALaterDuplicateKey) {
  // index_ini finds repeated headers at the end, not as it reads: the first error in the file still wins.
  EXPECT_EQ(parse_error("[a]\n[b]\n[a]\nk = 1\nk = 2\n").rfind("f:3: section [a] appears a second time", 0), 0u);
  EXPECT_EQ(parse_error("[a]\nk = 1\nk = 2\n[a]\n").rfind("f:3: key 'k' appears a second time", 0), 0u);
  EXPECT_EQ(parse_error("[b]\n[a]\n[c]\n[a]\n[b]\n").rfind("f:4: section [a] appears a second time (first at line 2)", 0), 0u);
}

TEST(IniFile, SectionsHoldAtMostTenThousandKeys) {
  std::string text = "[profile big]\n";
  for (int i = 0; i < 10000; ++i) text += "k" + std::to_string(i) + " = v\n";
  EXPECT_EQ(parse_ini_ok(text).sections[0].options.size(), 10000u);
  text += "one_more = v\n";
  EXPECT_EQ(parse_error(text).rfind("f:10002: section [profile big] has more than 10000 settings", 0), 0u);
  auto index = index_ini(text, "f");
  ASSERT_FALSE(index.ok());
  EXPECT_EQ(index.error().message, parse_error(text));
}

// index_ini keeps the headers and [DEFAULT]; read_ini_section gives each section's options as
// parse_ini does, from the header on.
TEST(IniFile, IndexAndReadSectionAgreeWithParseIni) {
  const std::string_view texts[] = {
      "[a]\nk = 1\n  more\n\n# c\n  last\n\n[b] trailing ] text\nj: 2\n[DEFAULT]\nd = 0\n[c]\n",
      "[a]\r\nK = 1\r[b]\rj = 2\r\n  x\r\n[c]",
      "[DEFAULT]\ns3 =\n  a = 1\n[x]\n[y]\nS3 =\n  b = 2\n\n\n[z]\n",
      "  [indented]\n  k = 1\n    [not a header: a continuation]\n[next]\n",
  };
  for (std::string_view text : texts) {
    SCOPED_TRACE(std::string(text));
    const IniFile full = parse_ini_ok(text);
    auto index = index_ini(text, "f");
    ASSERT_TRUE(index.ok()) << index.error().message;
    ASSERT_EQ(index->sections.size(), full.sections.size());
    EXPECT_EQ(index->defaults.options.size(), full.defaults.options.size());
    for (size_t i = 0; i < full.sections.size(); ++i) {
      EXPECT_EQ(index->sections[i].name, full.sections[i].name);
      EXPECT_EQ(index->sections[i].line, full.sections[i].line);
      IniKeyStorage keys;
      const IniSection read = read_ini_section(text, index->sections[i], keys);
      ASSERT_EQ(read.options.size(), full.sections[i].options.size());
      for (size_t j = 0; j < read.options.size(); ++j) {
        EXPECT_EQ(read.options[j].key, full.sections[i].options[j].key);
        EXPECT_EQ(read.options[j].line, full.sections[i].options[j].line);
        EXPECT_EQ(read.options[j].value(), full.sections[i].options[j].value());
        EXPECT_EQ(read.options[j].pieces.size(), full.sections[i].options[j].pieces.size());
      }
    }
  }
}

TEST(IniFile, IndexNotesTheFirstBadNestedBlockOfASection) {
  auto index = index_ini("[a]\ns3 =\n  a = 1\n[b]\nk =\n  bad\nj =\n  worse\n", "f");
  ASSERT_TRUE(index.ok());
  ASSERT_TRUE(index->nested_error);
  EXPECT_EQ(index->nested_error_section, 1u);
  EXPECT_EQ(index->nested_error->message.rfind("f:6: the indented line under 'k' is not 'name = value'", 0), 0u);
}

}  // namespace
}  // namespace mfaenv

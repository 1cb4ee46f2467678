// The exact text of every output format, the JSON escaper's UTF-8 handling, and credential_process
// JSON as botocore reads it. roundtrip_test.cc checks the quoting against real shells.
#include <cstdlib>
#include <cstdio>
#include <fstream>
#include <string>

#include <gtest/gtest.h>

#include "output/credential_process.h"
#include "output/env_writer.h"
#include "output/hook_scripts.h"
#include "output/json_string.h"
#include "output/quote.h"

namespace mfaenv {
namespace {

EnvChange sample() {
  EnvChange change;
  change.set = {{"AWS_ACCESS_KEY_ID", "ASIAEXAMPLE"}, {"MFAENV_PROFILE", "it's \"mine\""}};
  change.unset = {"AWS_PROFILE"};
  return change;
}

TEST(EnvWriter, Sh) {
  EXPECT_EQ(*render_env(sample(), EnvFormat::kSh),
            "unset AWS_PROFILE\n"
            "export AWS_ACCESS_KEY_ID='ASIAEXAMPLE'\n"
            "export MFAENV_PROFILE='it'\\''s \"mine\"'\n");
}

TEST(EnvWriter, Fish) {
  EXPECT_EQ(*render_env(sample(), EnvFormat::kFish),
            "set -e AWS_PROFILE\n"
            "set -gx AWS_ACCESS_KEY_ID 'ASIAEXAMPLE'\n"
            "set -gx MFAENV_PROFILE 'it\\'s \"mine\"'\n");
  std::string out;
  append_fish_quoted(out, "a\\b");
  EXPECT_EQ(out, "'a\\\\b'");
}

TEST(EnvWriter, PowerShell) {
  EXPECT_EQ(*render_env(sample(), EnvFormat::kPowershell),
            "Remove-Item Env:AWS_PROFILE -ErrorAction SilentlyContinue\n"
            "$Env:AWS_ACCESS_KEY_ID = 'ASIAEXAMPLE'\n"
            "$Env:MFAENV_PROFILE = 'it''s \"mine\"'\n");
  std::string out;
  append_powershell_quoted(out, "\xe2\x80\x98x\xe2\x80\x99$y");  // ‘x’$y: typographic quotes double too
  EXPECT_EQ(out, "'\xe2\x80\x98\xe2\x80\x98x\xe2\x80\x99\xe2\x80\x99$y'");
}

TEST(EnvWriter, JsonLeavesOutUnsetVariables) {
  EXPECT_EQ(*render_env(sample(), EnvFormat::kJson),
            "{\n  \"AWS_ACCESS_KEY_ID\": \"ASIAEXAMPLE\",\n  \"MFAENV_PROFILE\": \"it's \\\"mine\\\"\"\n}\n");
  EXPECT_EQ(*render_env(EnvChange{}, EnvFormat::kJson), "{}\n");
}

TEST(EnvWriter, DotenvIsBareOrSingleQuotedAndRefusesTheRest) {
  EXPECT_EQ(*render_env(EnvChange{{{"AWS_ACCESS_KEY_ID", "ASIAEXAMPLE"}, {"MFAENV_PROFILE", "my work"}}, {}}, EnvFormat::kDotenv),
            "AWS_ACCESS_KEY_ID=ASIAEXAMPLE\n"
            "MFAENV_PROFILE='my work'\n");
  const auto dotenv = [](std::string_view v) {
    std::string out;
    return append_dotenv_value(out, v) ? out : std::string("<refused>");
  };
  EXPECT_EQ(dotenv("IQoJb3+/Zw=="), "IQoJb3+/Zw==");                 // tokens stay bare
  EXPECT_EQ(dotenv("2026-11-23T18:00:00Z"), "2026-11-23T18:00:00Z");
  EXPECT_EQ(dotenv(""), "");
  EXPECT_EQ(dotenv("a b # $HOME $(id) `id`"), "'a b # $HOME $(id) `id`'");  // single quotes: inert in sh too
  EXPECT_EQ(dotenv("C:\\x"), "'C:\\x'");
  // Values that would need double quotes, where sh expands $(...) and `...`: refused.
  for (std::string_view v : {"a\nb", "${HOME}'", "x$ \\\\", "trailing\\", "it's"}) EXPECT_EQ(dotenv(v), "<refused>") << v;
  auto refused = render_env(sample(), EnvFormat::kDotenv);  // MFAENV_PROFILE holds a quote
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().message.find("MFAENV_PROFILE"), std::string::npos);
  EXPECT_EQ(refused.error().message.find("mine"), std::string::npos);  // the value itself is not echoed
}

TEST(EnvWriter, ParseFormat) {
  EXPECT_EQ(*parse_env_format("sh"), EnvFormat::kSh);
  EXPECT_EQ(*parse_env_format("bash"), EnvFormat::kSh);
  EXPECT_EQ(*parse_env_format("zsh"), EnvFormat::kSh);
  EXPECT_EQ(*parse_env_format("fish"), EnvFormat::kFish);
  EXPECT_EQ(*parse_env_format("powershell"), EnvFormat::kPowershell);
  EXPECT_EQ(*parse_env_format("pwsh"), EnvFormat::kPowershell);
  EXPECT_EQ(*parse_env_format("json"), EnvFormat::kJson);
  EXPECT_EQ(*parse_env_format("dotenv"), EnvFormat::kDotenv);
  auto bad = parse_env_format("csh");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().kind, ErrorKind::kUsage);
  EXPECT_NE(bad.error().message.find("sh, fish, powershell, json or dotenv"), std::string::npos);
}

TEST(EnvWriter, EnvNames) {
  EXPECT_TRUE(is_env_name("AWS_REGION"));
  EXPECT_TRUE(is_env_name("_x1"));
  EXPECT_FALSE(is_env_name(""));
  EXPECT_FALSE(is_env_name("1A"));
  EXPECT_FALSE(is_env_name("A-B"));
  EXPECT_FALSE(is_env_name("A B"));
}

std::string json(std::string_view bytes) {
  std::string out;
  append_json_string(out, bytes);
  return out;
}

TEST(JsonString, EscapesWhatJsonRequires) {
  EXPECT_EQ(json("a\"b\\c/d"), "\"a\\\"b\\\\c/d\"");
  EXPECT_EQ(json("\n\r\t\b\f\x01\x1f\x7f"), "\"\\n\\r\\t\\b\\f\\u0001\\u001f\x7f\"");
  EXPECT_EQ(json("é€\xf0\x9f\x98\x80"), "\"é€\xf0\x9f\x98\x80\"");  // valid UTF-8 copied
}

TEST(JsonString, ReplacesInvalidUtf8AsPythonDoes) {
  const std::string fffd = "\xef\xbf\xbd";
  EXPECT_EQ(json("\x80"), "\"" + fffd + "\"");
  EXPECT_EQ(json("\xc0\xaf"), "\"" + fffd + fffd + "\"");                // overlong: 2 bytes, 2 marks
  EXPECT_EQ(json("\xed\xa0\x80"), "\"" + fffd + fffd + fffd + "\"");     // surrogate
  EXPECT_EQ(json("\xf0\x9f\x98"), "\"" + fffd + "\"");                   // truncated: one maximal subpart
  EXPECT_EQ(json("\xe2\x82x"), "\"" + fffd + "x\"");
  EXPECT_EQ(json("\xf4\x90\x80\x80"), "\"" + fffd + fffd + fffd + fffd + "\"");  // above U+10FFFF
  EXPECT_EQ(json("a\xffz"), "\"a" + fffd + "z\"");
  EXPECT_TRUE(is_valid_utf8("é\xf4\x8f\xbf\xbf"));
  EXPECT_FALSE(is_valid_utf8("\xe0\x80\x80"));
}

std::string read_back_script() {
  const char* source = std::getenv("MFAENV_SOURCE_DIR");
  return std::string(source ? source : "..") + "/tests/output/read_back.py";
}

int botocore_reads(const std::string& json_text) {
  char path[] = "/tmp/mfaenv-credproc-XXXXXX";
  const int fd = mkstemp(path);
  if (fd < 0) return -1;
  (void)!write(fd, json_text.data(), json_text.size());
  close(fd);
  const int status = std::system(("/usr/bin/python3 '" + read_back_script() + "' credential-process " + path).c_str());
  unlink(path);
  return status;
}

TEST(CredentialProcess, TemporaryCredentials) {
  Credentials creds;
  creds.access_key_id = "ASIAEXAMPLE";
  creds.secret_access_key = "secret/+=";
  creds.session_token = "token";
  creds.expiration = *parse_rfc3339("2099-11-23T18:00:00Z");
  const std::string text = credential_process_json(creds);
  EXPECT_EQ(text,
            "{\"Version\":1,\"AccessKeyId\":\"ASIAEXAMPLE\",\"SecretAccessKey\":\"secret/+=\","
            "\"SessionToken\":\"token\",\"Expiration\":\"2099-11-23T18:00:00Z\"}\n");
  EXPECT_EQ(botocore_reads(text), 0);
  // The effective expiry (MFA age limit) wins over the STS expiry when given.
  EXPECT_NE(credential_process_json(creds, *parse_rfc3339("2099-11-23T12:00:00Z")).find("\"2099-11-23T12:00:00Z\""),
            std::string::npos);
}

TEST(CredentialProcess, LongTermKeysHaveNoTokenNorExpiration) {
  Credentials creds;
  creds.access_key_id = "AKIAEXAMPLE";
  creds.secret_access_key = "secret";
  const std::string text = credential_process_json(creds);
  EXPECT_EQ(text, "{\"Version\":1,\"AccessKeyId\":\"AKIAEXAMPLE\",\"SecretAccessKey\":\"secret\"}\n");
  EXPECT_EQ(botocore_reads(text), 0);
}

TEST(HookScripts, ParseShell) {
  EXPECT_EQ(*parse_hook_shell("direnv"), HookShell::kDirenv);
  EXPECT_EQ(*parse_hook_shell("fish"), HookShell::kFish);
  EXPECT_EQ(parse_hook_shell("tcsh").error().kind, ErrorKind::kUsage);
  EXPECT_NE(hook_script(HookShell::kZsh).find("emulate -L zsh"), std::string::npos);
  EXPECT_EQ(hook_script(HookShell::kBash).find("@"), std::string::npos);  // no placeholder left
}

}  // namespace
}  // namespace mfaenv

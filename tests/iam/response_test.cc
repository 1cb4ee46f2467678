// IAM answers as IAM sends them (shapes from the IAM API reference's examples), and every
// truncation of each: an Error naming what is missing, never a crash.
#include <gtest/gtest.h>

#include "crypto/base64.h"
#include "iam/access_keys.h"
#include "iam/mfa_devices.h"

namespace mfaenv {
namespace {

const std::string kGetUser =
    "<GetUserResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\">\n <GetUserResult>\n  <User>\n"
    "   <UserId>AIDACKCEVSQ6C2EXAMPLE</UserId>\n   <Path>/division_abc/subdivision_xyz/</Path>\n"
    "   <UserName>Bob</UserName>\n   <Arn>arn:aws:iam::123456789012:user/division_abc/subdivision_xyz/Bob</Arn>\n"
    "   <CreateDate>2013-10-02T17:01:44Z</CreateDate>\n  </User>\n </GetUserResult>\n"
    " <ResponseMetadata><RequestId>7a62c49f-347e-4fc4-9331-6e8eEXAMPLE</RequestId></ResponseMetadata>\n"
    "</GetUserResponse>\n";

const std::string kListKeys =
    "<ListAccessKeysResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\">\n<ListAccessKeysResult>\n"
    "<UserName>Bob</UserName>\n<AccessKeyMetadata>\n"
    "<member><UserName>Bob</UserName><AccessKeyId>AKIAIOSFODNN7EXAMPLE</AccessKeyId><Status>Active</Status>"
    "<CreateDate>2024-01-02T03:04:05Z</CreateDate></member>\n"
    "<member><UserName>Bob</UserName><AccessKeyId>AKIAI44QH8DHBEXAMPLE</AccessKeyId><Status>Inactive</Status>"
    "</member>\n</AccessKeyMetadata>\n<IsTruncated>false</IsTruncated>\n</ListAccessKeysResult>\n"
    "<ResponseMetadata><RequestId>r</RequestId></ResponseMetadata>\n</ListAccessKeysResponse>\n";

const std::string kCreateKey =
    "<CreateAccessKeyResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\"><CreateAccessKeyResult>"
    "<AccessKey><UserName>Bob</UserName><AccessKeyId>AKIAIOSFODNN7EXAMPLE</AccessKeyId><Status>Active</Status>"
    "<SecretAccessKey>wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY</SecretAccessKey>"
    "<CreateDate>2026-12-03T10:00:00Z</CreateDate></AccessKey></CreateAccessKeyResult>"
    "<ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></CreateAccessKeyResponse>";

std::string create_device_xml() {
  return "<CreateVirtualMFADeviceResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\">"
         "<CreateVirtualMFADeviceResult><VirtualMFADevice>"
         "<SerialNumber>arn:aws:iam::123456789012:mfa/ExampleName</SerialNumber>"
         "<Base32StringSeed>" + base64_encode("JBSWY3DPEHPK3PXP") + "</Base32StringSeed>"
         "<QRCodePNG>" + base64_encode(std::string("\x89PNG\r\n\x1a\n", 8)) + "</QRCodePNG>"
         "</VirtualMFADevice></CreateVirtualMFADeviceResult></CreateVirtualMFADeviceResponse>";
}

const std::string kListDevices =
    "<ListMFADevicesResponse><ListMFADevicesResult><MFADevices>"
    "<member><UserName>Bob</UserName><SerialNumber>arn:aws:iam::123456789012:mfa/Bob</SerialNumber>"
    "<EnableDate>2026-01-01T00:00:00Z</EnableDate></member></MFADevices>"
    "<IsTruncated>true</IsTruncated><Marker>next-page</Marker></ListMFADevicesResult></ListMFADevicesResponse>";

TEST(IamXml, GetUser) {
  auto u = parse_get_user_response(kGetUser);
  ASSERT_TRUE(u.ok()) << u.error().message;
  EXPECT_EQ(u->user_name, "Bob");
  EXPECT_EQ(u->user_id, "AIDACKCEVSQ6C2EXAMPLE");
  EXPECT_EQ(u->arn, "arn:aws:iam::123456789012:user/division_abc/subdivision_xyz/Bob");
  EXPECT_EQ(u->path, "/division_abc/subdivision_xyz/");
  ASSERT_TRUE(u->create_date);
  EXPECT_EQ(format_rfc3339(*u->create_date), "2013-10-02T17:01:44Z");
}

TEST(IamXml, ListAccessKeys) {
  auto page = parse_list_access_keys_response(kListKeys);
  ASSERT_TRUE(page.ok()) << page.error().message;
  ASSERT_EQ(page->items.size(), 2u);
  EXPECT_EQ(page->items[0].access_key_id, "AKIAIOSFODNN7EXAMPLE");
  EXPECT_EQ(page->items[0].status, AccessKeyStatus::kActive);
  EXPECT_TRUE(page->items[0].create_date);
  EXPECT_EQ(page->items[1].status, AccessKeyStatus::kInactive);
  EXPECT_FALSE(page->items[1].create_date);
  EXPECT_FALSE(page->next_marker);
  auto empty = parse_list_access_keys_response(
      "<ListAccessKeysResponse><ListAccessKeysResult><AccessKeyMetadata/><IsTruncated>false</IsTruncated>"
      "</ListAccessKeysResult></ListAccessKeysResponse>");
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->items.empty());
  auto bad = parse_list_access_keys_response(
      "<ListAccessKeysResponse><ListAccessKeysResult><AccessKeyMetadata><member><AccessKeyId>A</AccessKeyId>"
      "<Status>Gone</Status></member></AccessKeyMetadata></ListAccessKeysResult></ListAccessKeysResponse>");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("Status"), std::string::npos);
}

TEST(IamXml, CreateAccessKey) {
  auto k = parse_create_access_key_response(kCreateKey);
  ASSERT_TRUE(k.ok()) << k.error().message;
  EXPECT_EQ(k->credentials.access_key_id, "AKIAIOSFODNN7EXAMPLE");
  EXPECT_EQ(k->credentials.secret_access_key, "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY");
  EXPECT_FALSE(k->credentials.is_temporary());
  EXPECT_EQ(k->metadata.user_name, "Bob");
}

TEST(IamXml, VirtualMfaDevice) {
  auto d = parse_create_virtual_mfa_device_response(create_device_xml());
  ASSERT_TRUE(d.ok()) << d.error().message;
  EXPECT_EQ(d->serial_number, "arn:aws:iam::123456789012:mfa/ExampleName");
  EXPECT_EQ(d->base32_seed, "JBSWY3DPEHPK3PXP");
  EXPECT_EQ(d->qr_code_png.substr(1, 3), "PNG");
  std::string broken = create_device_xml();
  broken.replace(broken.find("<Base32StringSeed>") + 18, 2, "!!");
  auto bad = parse_create_virtual_mfa_device_response(broken);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("not base64"), std::string::npos);
  EXPECT_EQ(bad.error().message.find("JBSW"), std::string::npos);
}

TEST(IamXml, ListMfaDevicesWithMarker) {
  auto page = parse_list_mfa_devices_response(kListDevices);
  ASSERT_TRUE(page.ok()) << page.error().message;
  ASSERT_EQ(page->items.size(), 1u);
  EXPECT_EQ(page->items[0].serial_number, "arn:aws:iam::123456789012:mfa/Bob");
  EXPECT_EQ(page->next_marker.value_or(""), "next-page");
}

TEST(IamXml, EmptyResponses) {
  EXPECT_TRUE(parse_empty_response("<UpdateAccessKeyResponse><ResponseMetadata><RequestId>r</RequestId>"
                                   "</ResponseMetadata></UpdateAccessKeyResponse>",
                                   "UpdateAccessKey")
                  .ok());
  auto wrong = parse_empty_response("<DeleteAccessKeyResponse/>", "UpdateAccessKey");
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.error().kind, ErrorKind::kStsUnavailable);
}

// Every prefix of every document: parsed or refused with a message, and a secret never quoted.
TEST(IamXml, EveryTruncationIsRefusedCleanly) {
  const std::vector<std::string> docs = {kGetUser, kListKeys, kCreateKey, create_device_xml(), kListDevices};
  for (size_t d = 0; d < docs.size(); ++d) {
    for (size_t n = 0; n < docs[d].size(); ++n) {
      const std::string cut = docs[d].substr(0, n);
      std::string message;
      switch (d) {
        case 0: { auto r = parse_get_user_response(cut); if (!r.ok()) message = r.error().message; break; }
        case 1: { auto r = parse_list_access_keys_response(cut); if (!r.ok()) message = r.error().message; break; }
        case 2: { auto r = parse_create_access_key_response(cut); if (!r.ok()) message = r.error().message; break; }
        case 3: { auto r = parse_create_virtual_mfa_device_response(cut); if (!r.ok()) message = r.error().message; break; }
        default: { auto r = parse_list_mfa_devices_response(cut); if (!r.ok()) message = r.error().message; break; }
      }
      EXPECT_EQ(message.find("wJalrXUtnFEMI"), std::string::npos);
    }
  }
}

}  // namespace
}  // namespace mfaenv

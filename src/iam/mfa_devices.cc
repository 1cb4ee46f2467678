// Parsing IAM's MFA device answers. Blob fields (Base32StringSeed, QRCodePNG) are base64 in the
// XML, as botocore decodes them.
#include "iam/mfa_devices.h"

#include "aws/credentials.h"
#include "crypto/base64.h"
#include "iam/iam_xml.h"
#include "sts/query_xml.h"

namespace mfaenv {

VirtualMfaDevice::~VirtualMfaDevice() { wipe(base32_seed); }

namespace {

using namespace query_xml;

Result<std::string> blob(pugi::xml_node node, std::string_view action, std::string_view name) {
  std::string text = MFAENV_TRY(required_text(node, action, {name}));
  auto decoded = base64_decode(text);
  wipe(text);
  if (!decoded) return make_error(ErrorKind::kStsUnavailable, "the {} response has a {} that is not base64", action, name);
  return std::move(*decoded);
}

}  // namespace

Result<VirtualMfaDevice> parse_create_virtual_mfa_device_response(std::string_view xml) {
  constexpr std::string_view kAction = "CreateVirtualMFADevice";
  XmlDocument doc(xml);
  pugi::xml_node root = MFAENV_TRY(open_response(doc, kAction));
  pugi::xml_node device = descend(root, {"CreateVirtualMFADeviceResult", "VirtualMFADevice"});
  if (!device)
    return make_error(ErrorKind::kStsUnavailable,
                      "the CreateVirtualMFADevice response has no CreateVirtualMFADeviceResult/VirtualMFADevice");
  VirtualMfaDevice out;
  out.serial_number = MFAENV_TRY(required_text(device, kAction, {"SerialNumber"}));
  out.base32_seed = MFAENV_TRY(blob(device, kAction, "Base32StringSeed"));
  out.qr_code_png = MFAENV_TRY(blob(device, kAction, "QRCodePNG"));
  return out;
}

Result<IamPage<MfaDeviceInfo>> parse_list_mfa_devices_response(std::string_view xml) {
  constexpr std::string_view kAction = "ListMFADevices";
  return iam_xml::parse_list_page<MfaDeviceInfo>(xml, kAction, "MFADevices",
                                                 [&](pugi::xml_node member) -> Result<MfaDeviceInfo> {
    MfaDeviceInfo d;
    d.user_name = optional_text(member, {"UserName"});
    d.serial_number = MFAENV_TRY(required_text(member, kAction, {"SerialNumber"}));
    d.enable_date = MFAENV_TRY(iam_xml::optional_time(member, kAction, {"EnableDate"}));
    return d;
  });
}

}  // namespace mfaenv

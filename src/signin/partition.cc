// The three partitions with a console federation endpoint.
#include "signin/partition.h"

namespace mfaenv {

Result<SigninPartition> signin_partition_of_arn(std::string_view arn) {
  if (!arn.starts_with("arn:")) return make_error(ErrorKind::kGeneric, "'{}' is not an ARN", arn);
  const std::string_view rest = arn.substr(4);
  const std::string_view name = rest.substr(0, rest.find(':'));
  std::string domain;
  if (name == "aws") {
    domain = "aws.amazon.com";
  } else if (name == "aws-cn") {
    domain = "amazonaws.cn";
  } else if (name == "aws-us-gov") {
    domain = "amazonaws-us-gov.com";
  } else {
    return make_error(ErrorKind::kGeneric, "partition '{}' has no console federation endpoint that mfaenv knows "
                      "(aws, aws-cn and aws-us-gov do); set MFAENV_SIGNIN_ENDPOINT to yours", name);
  }
  return SigninPartition{std::string(name), domain, "signin." + domain, "console." + domain};
}

bool is_console_host(const SigninPartition& partition, std::string_view host) {
  if (host == partition.console_host) return true;
  const std::string suffix = "." + partition.console_host;
  return host.size() > suffix.size() && host.ends_with(suffix);
}

}  // namespace mfaenv

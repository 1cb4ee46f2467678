// Which AWS partition a console sign-in belongs to, and its sign-in and console hosts (the AWS CLI's
// `aws signin --partition` table: aws.amazon.com, amazonaws.cn, amazonaws-us-gov.com).
#pragma once

#include <string>
#include <string_view>

#include "util/result.h"

namespace mfaenv {

struct SigninPartition {
  std::string name;          // "aws", "aws-cn", "aws-us-gov"
  std::string domain;        // "aws.amazon.com"
  std::string signin_host;   // "signin.aws.amazon.com"
  std::string console_host;  // "console.aws.amazon.com"
};

// From the partition field of an ARN (arn:PARTITION:...). Errors (kGeneric) for partitions that
// have no public console sign-in (aws-iso*) and for text that is no ARN.
Result<SigninPartition> signin_partition_of_arn(std::string_view arn);

// True when `host` is the partition's console host or one of its regional hosts
// (us-west-2.console.aws.amazon.com).
bool is_console_host(const SigninPartition& partition, std::string_view host);

}  // namespace mfaenv

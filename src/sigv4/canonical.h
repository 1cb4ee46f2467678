// The pieces of a SigV4 canonical request: percent-encoding, path normalisation, the sorted query
// and the folded, sorted header block. Pure functions of their input; signer.cc puts them together.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "util/time.h"

namespace mfaenv {

enum class SlashEncoding { kKeep, kEncode };

// RFC 3986 percent-encoding as SigV4 wants it: A-Z a-z 0-9 - . _ ~ stay, every other byte becomes
// %XX with upper-case hex; '/' stays only with kKeep (paths). Also right for x-www-form-urlencoded
// bodies of the AWS query protocol (space as %20, never '+').
std::string uri_encode(std::string_view text, SlashEncoding slashes = SlashEncoding::kEncode);
// Undoes %XX escapes; a '%' not followed by two hex digits stays as it is. '+' stays '+'.
std::string uri_decode(std::string_view text);

// RFC 3986 §5.2.4 dot-segment removal plus collapsing of empty segments ("//"), as botocore and
// aws-c-auth do for every service but S3: "//a/./b/../c/" -> "/a/c/"; "" -> "/".
std::string normalize_path(std::string_view path);

// The canonical query string: parameters split on '&' and the first '=', decoded then encoded
// again (so "%E1%88%B4" and the raw UTF-8 bytes sign the same), sorted by name then value.
std::string canonical_query(std::string_view raw_query);

// A header value as SigV4 signs it: outer whitespace trimmed, inner runs of whitespace (including
// obsolete line folding) collapsed to one space.
std::string canonical_header_value(std::string_view value);

struct CanonicalHeaders {
  std::string block;           // "name:value\n" for each signed header, sorted by name
  std::string signed_headers;  // "host;x-amz-date"
};
// Lower-cases names, joins the values of repeated names with ',' in request order, sorts by name.
CanonicalHeaders canonicalize_headers(const std::vector<std::pair<std::string, std::string>>& headers);

// "20150830T123600Z" (X-Amz-Date) and "20150830" (the credential scope's date), in UTC.
std::string amz_date(TimePoint t);
std::string amz_day(TimePoint t);

}  // namespace mfaenv

// What IAM's answers share beyond STS's Query XML (sts/query_xml.h): times that may be missing, and
// List* pages (<Result><List><member/>…</List><IsTruncated/><Marker/>) whose members each list reads
// its own way. Private to src/iam.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "iam/access_keys.h"
#include "sts/query_xml.h"
#include "util/result.h"
#include "util/time.h"

namespace mfaenv::iam_xml {

inline Result<std::optional<TimePoint>> optional_time(pugi::xml_node node, std::string_view action,
                                                      std::initializer_list<std::string_view> path) {
  const std::string text = query_xml::optional_text(node, path);
  if (text.empty()) return std::optional<TimePoint>();
  auto t = parse_rfc3339(text);
  if (!t)
    return make_error(ErrorKind::kStsUnavailable, "the {} response has a {} that is not a time", action,
                      query_xml::join_path(query_xml::local_name(node), path));
  return std::optional<TimePoint>(*t);
}

// read_member: pugi::xml_node -> Result<T>.
template <typename T, typename ReadMember>
Result<IamPage<T>> parse_list_page(std::string_view xml, std::string_view action, std::string_view list,
                                   ReadMember read_member) {
  using namespace query_xml;
  XmlDocument doc(xml);
  pugi::xml_node root = MFAENV_TRY(open_response(doc, action));
  const std::string result_name = std::string(action) + "Result";
  pugi::xml_node result = child(root, result_name);
  if (!result) return make_error(ErrorKind::kStsUnavailable, "the {} response has no {}", action, result_name);
  IamPage<T> page;
  for (pugi::xml_node member : child(result, list).children()) {
    if (member.type() != pugi::node_element || local_name(member) != "member") continue;
    page.items.push_back(MFAENV_TRY(read_member(member)));
  }
  if (optional_text(result, {"IsTruncated"}) == "true")
    page.next_marker = MFAENV_TRY(required_text(result, action, {"Marker"}));
  return page;
}

}  // namespace mfaenv::iam_xml

// Reading Query API XML answers (STS, IAM) as botocore's QueryParser reads them: element names
// without namespace prefixes, text kept as is. The document is parsed from a private copy that is
// wiped afterwards, because answers hold secrets (a secret key, a session token, an MFA seed).
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>

#include <pugixml.hpp>

#include "util/result.h"

namespace mfaenv::query_xml {

class XmlDocument {
 public:
  explicit XmlDocument(std::string_view xml);
  ~XmlDocument();
  XmlDocument(const XmlDocument&) = delete;
  XmlDocument& operator=(const XmlDocument&) = delete;

  bool ok() const { return static_cast<bool>(result_); }
  const pugi::xml_parse_result& result() const { return result_; }
  pugi::xml_node root() const { return document_.document_element(); }

 private:
  std::string buffer_;
  pugi::xml_document document_;
  pugi::xml_parse_result result_;
};

// Element names compared without any namespace prefix ("sts:Arn" is "Arn").
std::string_view local_name(pugi::xml_node node);
pugi::xml_node child(pugi::xml_node node, std::string_view name);
pugi::xml_node descend(pugi::xml_node node, std::initializer_list<std::string_view> path);
std::string join_path(std::string_view root, std::initializer_list<std::string_view> path);

// Checks the document and that its root element is <ACTIONResponse>; the Error names the
// operation, never a value.
Result<pugi::xml_node> open_response(const XmlDocument& doc, std::string_view action);
// The text at `path` below `root`: present, non-empty, UTF-8; else an Error naming the path.
Result<std::string> required_text(pugi::xml_node root, std::string_view action,
                                  std::initializer_list<std::string_view> path);
std::string optional_text(pugi::xml_node root, std::initializer_list<std::string_view> path);

}  // namespace mfaenv::query_xml

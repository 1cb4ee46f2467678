// Query API XML helpers (sts/query_xml.h).
#include "sts/query_xml.h"

#include "aws/credentials.h"
#include "util/utf8.h"
#include "util/strings.h"

namespace mfaenv::query_xml {

namespace {

// Where `xml` holds a NUL, raw or as a character reference (&#0; &#x00;), or npos. XML 1.0 forbids
// both; pugixml would cut the text there, so "ASIA&#0;X" would be read as the key id "ASIA".
size_t nul_offset(std::string_view xml) {
  if (size_t raw = xml.find('\0'); raw != std::string_view::npos) return raw;
  for (size_t at = xml.find("&#"); at != std::string_view::npos; at = xml.find("&#", at + 2)) {
    size_t i = at + 2;
    const bool hex = i < xml.size() && (xml[i] == 'x' || xml[i] == 'X');
    if (hex) ++i;
    const size_t digits = i;
    while (i < xml.size() && xml[i] == '0') ++i;
    if (i > digits && i < xml.size() && xml[i] == ';') return at;
  }
  return std::string_view::npos;
}

}  // namespace

XmlDocument::XmlDocument(std::string_view xml) : buffer_(xml) {
  if (size_t nul = nul_offset(buffer_); nul != std::string_view::npos) {
    result_.status = pugi::status_bad_pcdata;
    result_.offset = static_cast<ptrdiff_t>(nul);
    return;
  }
  result_ = document_.load_buffer_inplace(buffer_.data(), buffer_.size(), pugi::parse_default,
                                          pugi::encoding_utf8);
}

XmlDocument::~XmlDocument() {
  document_.reset();
  wipe(buffer_);
}

// Element names compared without any namespace prefix ("sts:Arn" is "Arn").
std::string_view local_name(pugi::xml_node node) {
  std::string_view name = node.name();
  size_t colon = name.find(':');
  return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

pugi::xml_node child(pugi::xml_node node, std::string_view name) {
  for (pugi::xml_node c : node.children())
    if (c.type() == pugi::node_element && local_name(c) == name) return c;
  return {};
}

pugi::xml_node descend(pugi::xml_node node, std::initializer_list<std::string_view> path) {
  for (std::string_view name : path) {
    node = child(node, name);
    if (!node) break;
  }
  return node;
}

std::string join_path(std::string_view root, std::initializer_list<std::string_view> path) {
  std::string out(root);
  for (std::string_view p : path) out += fmt::format("/{}", p);
  return out;
}

// Checks the document and its root element; the Error names the operation, never a value.
Result<pugi::xml_node> open_response(const XmlDocument& doc, std::string_view action) {
  if (!doc.ok()) {
    return make_error(ErrorKind::kStsUnavailable,
                      "the {} response is not well-formed XML ({} at byte {})", action,
                      doc.result().description(), doc.result().offset);
  }
  std::string expected = fmt::format("{}Response", action);
  pugi::xml_node root = doc.root();
  if (local_name(root) != expected) {
    return make_error(ErrorKind::kStsUnavailable,
                      "the {} response has root element <{}>, expected <{}>", action,
                      std::string_view(root.name()), expected);
  }
  return root;
}

Result<std::string> required_text(pugi::xml_node root, std::string_view action,
                                  std::initializer_list<std::string_view> path) {
  pugi::xml_node node = descend(root, path);
  if (!node || std::string_view(node.text().get()).empty()) {
    return make_error(ErrorKind::kStsUnavailable, "the {} response has no {}", action,
                      join_path(local_name(root), path));
  }
  // pugixml passes any bytes through (and makes surrogates of "&#xD800;"); these values end up in
  // the cache's JSON, whose writer throws on text that is not UTF-8. STS itself sends ASCII.
  if (invalid_utf8_offset(node.text().get()) != std::string_view::npos) {
    return make_error(ErrorKind::kStsUnavailable, "the {} response has text that is not UTF-8 in {}", action,
                      join_path(local_name(root), path));
  }
  return std::string(node.text().get());
}

std::string optional_text(pugi::xml_node root, std::initializer_list<std::string_view> path) {
  pugi::xml_node node = descend(root, path);
  return node ? std::string(node.text().get()) : std::string();
}

}  // namespace mfaenv::query_xml

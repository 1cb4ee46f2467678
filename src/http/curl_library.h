// The few libcurl functions the HTTPS client calls, found with dlsym in libcurl.so.4 at the first
// request. Nothing links against libcurl, so commands that make no request never map it (and its
// OpenSSL): the hot-path rule of docs/design.md §7. curl/curl.h is used for types and constants only.
#pragma once

#include <curl/curl.h>

#include "util/result.h"

namespace mfaenv {

struct CurlLibrary {
  CURL* (*easy_init)();
  CURLcode (*easy_setopt)(CURL*, CURLoption, ...);
  CURLcode (*easy_perform)(CURL*);
  CURLcode (*easy_getinfo)(CURL*, CURLINFO, ...);
  void (*easy_cleanup)(CURL*);
  const char* (*easy_strerror)(CURLcode);
  curl_slist* (*slist_append)(curl_slist*, const char*);
  void (*slist_free_all)(curl_slist*);
};

// Loads libcurl.so.4 (MFAENV_LIBCURL names another file, for tests only) and runs
// curl_global_init, once per process; later calls return the same table or the same Error.
Result<const CurlLibrary*> load_curl_library();

// True once load_curl_library() has succeeded in this process.
bool curl_library_loaded();

}  // namespace mfaenv

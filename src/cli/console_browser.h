// Opening the console sign-in URL in a browser without putting the sign-in token in any process's
// argv (where `ps` shows it): the URL goes into a 0600 page in the private cache folder that
// redirects to it, and the browser is given that file's file:// URL.
#pragma once

#include <string>

#include "util/result.h"

namespace mfaenv {

// Writes the redirect page into `private_dir` (removing pages older than a sign-in token's 15
// minutes) and runs $BROWSER (a ':'-separated list of commands, `%s` standing for the URL, as
// xdg-utils reads it) or else xdg-open with the page's file:// URL. Errors (kGeneric) say how to
// use --url instead.
Status open_console_in_browser(const std::string& login_url, const std::string& private_dir);

}  // namespace mfaenv

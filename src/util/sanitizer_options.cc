// Default options of the sanitizers, compiled into every executable of a MFAENV_SANITIZE build.
// Reports go to files under the build folder as well as failing the process, because many tests run
// mfaenv expecting a non-zero exit status and would not notice a sanitizer's; scripts/test-all fails
// the run when any report file exists.
#ifdef MFAENV_SANITIZER_LOG

extern "C" {

const char* __asan_default_options() {
  // disable_coredump=0: ASan would otherwise zero RLIMIT_CORE before main, hiding the caller's limit
  // from harden_process (which turns core dumps off itself and gives `exec`'s program the limit back).
  return "log_path=" MFAENV_SANITIZER_LOG ":detect_leaks=1:detect_stack_use_after_return=1:disable_coredump=0"
         ":check_initialization_order=1:strict_string_checks=1:print_suppressions=0";
}

// GLib's type system and libsecret's D-Bus proxies (dlopen()ed by the secret-service key backend)
// allocate for the life of the process and free nothing at exit, by design; LeakSanitizer would
// report those few bytes in every run that opens the keyring. mfaenv's own allocations stay checked.
const char* __lsan_default_suppressions() {
  return "leak:libglib-2.0.so\nleak:libgobject-2.0.so\nleak:libgio-2.0.so\nleak:libsecret-1.so\n";
}

const char* __ubsan_default_options() {
  return "log_path=" MFAENV_SANITIZER_LOG ":print_stacktrace=1:halt_on_error=1";
}

}  // extern "C"

#endif

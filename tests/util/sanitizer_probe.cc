// A program with one deliberate bug per argument, built only in the sanitizer build: the probe test
// proves that build really catches heap overflows, leaks and undefined behaviour (if the flags were
// dropped from CMakeLists.txt, the bugs would go unnoticed and the test would fail).
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

int main(int argc, char** argv) {
  if (argc < 2) return 2;
  const std::string bug = argv[1];
  const int n = argc + 7;  // not a constant, so the compiler cannot see the bug coming
  if (bug == "heap-overflow") {
    char* buffer = static_cast<char*>(std::malloc(8));
    std::memset(buffer, 'x', 8);
    const volatile char c = buffer[n];
    std::free(buffer);
    return c;
  }
  if (bug == "leak") {
    void* lost = std::malloc(static_cast<size_t>(n) * 16);
    std::printf("%p\n", lost);
    lost = nullptr;
    return 0;
  }
  if (bug == "signed-overflow") {
    int big = INT_MAX - 1;
    big += n;
    return big == 0 ? 1 : 0;
  }
  return 2;
}

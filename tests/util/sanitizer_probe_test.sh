#!/usr/bin/env bash
# The sanitizer build catches what it is there to catch: each deliberate bug of sanitizer_probe must
# end the program with a report of the right kind. Reports go to a scratch folder, not to the build's
# sanitizer-reports/ (which scripts/test-all requires to stay empty).
set -u
probe=$1
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
failed=0
for case in "heap-overflow:heap-buffer-overflow" "leak:detected memory leaks" "signed-overflow:signed integer overflow"; do
  bug=${case%%:*}
  expected=${case#*:}
  rm -f "$scratch"/report.*
  ASAN_OPTIONS="log_path=$scratch/report" UBSAN_OPTIONS="log_path=$scratch/report:halt_on_error=1" "$probe" "$bug" >/dev/null 2>&1
  status=$?
  if ((status == 0)) || ! cat "$scratch"/report.* 2>/dev/null | grep -q "$expected"; then
    echo "sanitizer_probe $bug: exit status $status and no '$expected' report: the sanitizers are not on" >&2
    failed=1
  fi
done
exit $failed

#!/usr/bin/env bash
# Installs the real servers the tests drive: Debian's chromium (browser tests) and
# PostgreSQL (store tests). Never fatal: a test whose server is missing skips with a message.
set -u
need=()
command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ] || need+=(chromium)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null 2>&1 || need+=(postgresql)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "test-setup: installing ${need[*]} from Debian"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}") >/tmp/reelgraph-apt.log 2>&1 \
      || echo "test-setup: apt-get install ${need[*]} failed (see /tmp/reelgraph-apt.log); those tests will skip"
  else
    echo "test-setup: cannot install ${need[*]} (not root or no apt-get); those tests will skip"
  fi
fi
exit 0

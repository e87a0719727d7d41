#!/usr/bin/env bash
# The virus-scanning tests start their own clamd (Debian's clamav-daemon) on a unix socket, with a database directory
# holding only the repository's EICAR signature (tests/support/clamav/). Install it when this machine may (root + apt);
# elsewhere those tests report themselves as skipped (and fail in CI).
set -u
if [ -x /usr/sbin/clamd ] && command -v clamscan >/dev/null 2>&1; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing clamav-daemon and clamav for the tests..."
  if (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq clamav-daemon clamav >/dev/null) \
      && [ -x /usr/sbin/clamd ]; then
    echo "Installed: clamav-daemon clamav"
  else
    echo "Could not install clamav-daemon; the virus-scanning tests will be skipped (or fail in CI)."
  fi
else
  echo "clamd not found and cannot be installed here (needs root and apt-get); the virus-scanning tests will be skipped."
fi
exit 0

#!/usr/bin/env bash
# Browser tests need Debian's Chromium and ChromeDriver. Install them when this machine may (root + apt);
# elsewhere the browser tests report themselves as skipped (and fail in CI, see tests/e2e/conftest.py).
set -u
if command -v chromium >/dev/null 2>&1; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing chromium and chromium-driver for the browser tests..."
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null) \
    || echo "Could not install chromium; browser tests will be skipped (or fail in CI)."
else
  echo "chromium not found and cannot be installed here; browser tests will be skipped."
fi
exit 0

#!/usr/bin/env bash
# Browser tests need Debian's Chromium and ChromeDriver. Install them when this machine may (root + apt);
# elsewhere the browser tests report themselves as skipped (and fail in CI, see tests/e2e/conftest.py).
set -u
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v chromedriver >/dev/null 2>&1 || missing+=(chromium-driver)
if [ "${#missing[@]}" -eq 0 ]; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing ${missing[*]} for the browser tests..."
  if (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null) \
      && command -v chromium >/dev/null 2>&1; then
    echo "Installed: $(command -v chromium)"
  else
    echo "Could not install ${missing[*]}; browser tests will be skipped (or fail in CI)."
  fi
else
  echo "${missing[*]} not found and cannot be installed here (needs root and apt-get); browser tests will be skipped."
fi
exit 0

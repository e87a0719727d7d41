#!/usr/bin/env bash
# Browser tests need Debian's Chromium and ChromeDriver; the BBC-DR delivery tests a real SFTP server (Debian's
# openssh-server, started by the tests themselves on a free port). Install them when this machine may (root + apt);
# elsewhere those tests report themselves as skipped (and fail in CI).
set -u
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v chromedriver >/dev/null 2>&1 || missing+=(chromium-driver)
[ -x /usr/sbin/sshd ] || missing+=(openssh-server)
if [ "${#missing[@]}" -eq 0 ]; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing ${missing[*]} for the tests..."
  if (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null) \
      && command -v chromium >/dev/null 2>&1 && [ -x /usr/sbin/sshd ]; then
    echo "Installed: ${missing[*]}"
  else
    echo "Could not install ${missing[*]}; the tests needing them will be skipped (or fail in CI)."
  fi
else
  echo "${missing[*]} not found and cannot be installed here (needs root and apt-get); the tests needing them will be skipped."
fi
exit 0

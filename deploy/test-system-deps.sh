#!/usr/bin/env bash
# System programs the test suite drives for real (part of the README's test command):
#   chromium        headless screenshot of the nightly report's HTML (tests/report)
#   libreoffice     PDF export of the XLSX outputs, to count printed pages (tests/outputs)
#   poppler-utils   pdftotext, to read each printed page back (header row on every page)
#   fonts-noto-cjk  Chinese glyphs in those PDFs and in the screenshots (not boxes)
# Installed with apt-get when missing and this shell may install packages (root, or sudo
# without a password). Where that is not possible (another OS, no rights) the script says so
# and the tests that need the program are skipped with that reason; where installing is
# possible but fails, the script fails, so that a CI run never passes without them.
set -euo pipefail

packages=()
command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || packages+=(chromium)
command -v soffice >/dev/null 2>&1 || packages+=(libreoffice-calc-nogui)
command -v pdftotext >/dev/null 2>&1 || packages+=(poppler-utils)
if ! command -v fc-list >/dev/null 2>&1 || [ -z "$(fc-list :lang=zh 2>/dev/null)" ]; then
  packages+=(fonts-noto-cjk)
fi

if [ ${#packages[@]} -eq 0 ]; then
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "test-system-deps: apt-get not available; install ${packages[*]} yourself (tests needing them are skipped)" >&2
  exit 0
fi
if [ "$(id -u)" = 0 ]; then
  as_root=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  as_root=(sudo -n)
else
  echo "test-system-deps: not root; install ${packages[*]} yourself (tests needing them are skipped)" >&2
  exit 0
fi
echo "test-system-deps: installing ${packages[*]}" >&2
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null

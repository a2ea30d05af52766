#!/usr/bin/env bash
# What the test suite needs beyond Python, installed from Debian's packages when missing:
#   chromium             the browser tests and the PDF reports print in Debian's headless Chromium,
#                        driven by Playwright (the pip package; it downloads no browser of its own)
#   fonts-dejavu-core    the Latin font; the font tests render with DejaVu as the only system font,
#                        so Chinese glyphs can come only from the font the reports embed
#   postgresql           the store and operations suite runs on PostgreSQL as well as DuckDB;
#                        the tests start a private server (initdb, pg_ctl) and stop it after
#   default-jre-headless Java (17 on Debian 12, 21 on Debian 13) for PySpark: the engine
#                        conformance tests run every method on Spark in local mode
# Needs root or sudo when something is missing; does nothing when all is there.
set -euo pipefail

need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
[ -d /usr/share/fonts/truetype/dejavu ] || need+=(fonts-dejavu-core)
if ! command -v initdb >/dev/null 2>&1 && ! compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null; then
  need+=(postgresql)
fi
if ! command -v java >/dev/null 2>&1 && [ -z "${JAVA_HOME:-}" ]; then
  need+=(default-jre-headless)
fi
[ ${#need[@]} -eq 0 ] && exit 0

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  if ! command -v sudo >/dev/null 2>&1; then
    echo "The tests need: ${need[*]} (apt-get install ${need[*]}, as root)" >&2
    exit 1
  fi
  sudo="sudo"
fi
echo "Installing ${need[*]} from Debian's packages" >&2
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null

#!/usr/bin/env bash
# One command to set up a fresh checkout: system packages for the browser tests (Debian's
# Chromium, where apt and root are available), the npm dependencies, the offline model and
# the app build. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v chromium >/dev/null 2>&1 && ! command -v chromium-browser >/dev/null 2>&1; then
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = "0" ]; then
    echo "Installing Chromium (for the end-to-end tests)..."
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "Note: Chromium was not found; the end-to-end tests need it (Debian: apt-get install chromium)." >&2
  fi
fi

# openssl makes the throwaway certificate the browser-mode HTTPS tests serve with.
if ! command -v openssl >/dev/null 2>&1; then
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = "0" ]; then
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openssl >/dev/null; } ||
      echo "Note: openssl could not be installed; the browser-mode HTTPS tests need it." >&2
  else
    echo "Note: openssl was not found; the browser-mode HTTPS tests need it (Debian: apt-get install openssl)." >&2
  fi
fi

# Electron's binary and onnxruntime's CUDA files are downloads this step must not depend on:
# the CPU provider ships in the package, and `npm run dev` fetches Electron where it can.
export ELECTRON_SKIP_BINARY_DOWNLOAD="${ELECTRON_SKIP_BINARY_DOWNLOAD:-1}"
export ONNXRUNTIME_NODE_INSTALL="${ONNXRUNTIME_NODE_INSTALL:-skip}"
npm ci
npm run build

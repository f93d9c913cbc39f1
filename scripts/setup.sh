#!/usr/bin/env bash
# One command to set up a fresh checkout: system packages for the tests (where apt and root are
# available), the npm dependencies, the offline model and the app build. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages the tests use as references: Chromium for the end-to-end tests; torch,
# torchvision and Pillow (the original Python pipeline) and the Plasma wallpapers (real photos)
# for tests/embed/resnet50-parity.test.ts. Without them those tests say they were skipped.
# Measured on the project's machines: the Python packages take 3-4 minutes with an empty apt cache
# (177 packages, without recommends), the wallpapers (94 MB) a few seconds.
missing=()
if ! command -v chromium >/dev/null 2>&1 && ! command -v chromium-browser >/dev/null 2>&1; then
  missing+=(chromium)
fi
python_missing=()
if ! /usr/bin/python3 -c 'import torch, torchvision, PIL' >/dev/null 2>&1; then
  python_missing+=(python3-torch python3-torchvision python3-pil)
fi
if [ ! -d /usr/share/wallpapers/Kite ]; then
  missing+=(plasma-workspace-wallpapers)
fi
if [ ${#missing[@]} -gt 0 ] || [ ${#python_missing[@]} -gt 0 ]; then
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = "0" ]; then
    apt-get update -qq
    if [ ${#missing[@]} -gt 0 ]; then
      echo "Installing ${missing[*]} (for the tests)..."
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
    fi
    if [ ${#python_missing[@]} -gt 0 ]; then
      echo "Installing ${python_missing[*]} (the original pipeline, for the ResNet-50 parity test)..."
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${python_missing[@]}" >/dev/null
    fi
  else
    echo "Note: ${missing[*]} ${python_missing[*]} not installed; the tests that need them will say they were skipped" >&2
    echo "      (Debian, as root: apt-get install ${missing[*]} ${python_missing[*]})." >&2
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

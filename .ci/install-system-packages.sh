#!/usr/bin/env bash
# Debian packages the triple-store and browser tests need, installed non-interactively and
# only when missing (safe to run again): OpenLink Virtuoso 7, Apache Jena (jars only; its
# command classes run on Java), a Java runtime, Chromium (query page test) and npm (YASGUI).
# The tests start every server themselves on 127.0.0.1; nothing here starts a service.
set -euo pipefail

packages=(virtuoso-opensource libapache-jena-java default-jre-headless chromium)
missing=()
for package in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$package")
    fi
done
# npm usually comes with Node.js (NodeSource's nodejs bundles it); Debian's npm otherwise
if ! command -v npm >/dev/null 2>&1; then
    missing+=(npm)
fi
if ! command -v java >/dev/null 2>&1 && [[ ! " ${missing[*]} " =~ " default-jre-headless " ]]; then
    missing+=(default-jre-headless)
fi

if [ ${#missing[@]} -eq 0 ]; then
    echo "install-system-packages: everything present"
    exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then
    sudo="sudo"
fi
echo "install-system-packages: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq "${missing[@]}"

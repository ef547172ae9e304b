#!/bin/sh
# Rebuilds site/static/editor.js, the page's code editor, from editor.js and
# the CodeMirror versions pinned in package-lock.json. Needs Node and npm;
# `make` does not run it: the bundle is committed.
set -e
cd "$(dirname "$0")"
npm ci --silent
npx esbuild editor.js --bundle --minify --format=iife --target=es2020 --legal-comments=none --outfile=../static/editor.js

# Shared by scripts/run and scripts/test: installs the pinned build tools when
# missing and builds the release server and the browser bundle. Sourced, not run.
#
# No cargo-leptos: cargo builds the server and the wasm, wasm-bindgen and
# wasm-opt finish the bundle, and node (already needed for the browser tests)
# writes the precompressed copies. That saves a 12-minute tool build on a
# fresh machine.

BINARYEN_VERSION="132.0.0"
MOTO_VERSION="5.2.6"
TOOLS_DIR="$PWD/target/tools"
SITE_DIR="$PWD/target/site"

log() { printf '\n==> %s\n' "$*"; }

# The wasm-bindgen CLI must match the wasm-bindgen crate in Cargo.lock exactly.
wasm_bindgen_version() {
  awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock
}

ensure_build_tools() {
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    log "Adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
  fi
  local wbg
  wbg="$(wasm_bindgen_version)"
  if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$wbg" ]; then
    log "Installing wasm-bindgen-cli $wbg (about 4 minutes once)"
    cargo install wasm-bindgen-cli --version "$wbg"
  fi
  if [ ! -x "$TOOLS_DIR/node_modules/.bin/wasm-opt" ] ||
     [ "$(node -p "require('$TOOLS_DIR/node_modules/binaryen/package.json').version" 2>/dev/null)" != "$BINARYEN_VERSION" ]; then
    log "Installing wasm-opt (npm binaryen $BINARYEN_VERSION) into target/tools"
    mkdir -p "$TOOLS_DIR"
    npm install --prefix "$TOOLS_DIR" --no-audit --no-fund --no-save "binaryen@$BINARYEN_VERSION"
  fi
  export PATH="$TOOLS_DIR/node_modules/.bin:$PATH"
}

# The browser bundle: the app's hydrate build, bound by wasm-bindgen, shrunk by
# wasm-opt, with the stylesheet and the small script of the pages that load no
# wasm, all named after their content hash (so browsers may keep them for a
# year) and precompressed (brotli and gzip). The server reads the name from
# pkg/bundle-name.
build_site() {
  local pkg="$SITE_DIR/pkg"
  local wasm="target/wasm32-unknown-unknown/wasm-release/app.wasm"
  log "Building the browser bundle (app, hydrate, wasm32)"
  cargo build -p app --lib --target wasm32-unknown-unknown --profile wasm-release \
    --no-default-features --features hydrate
  local name
  name="zi-$(cat "$wasm" style/main.css app/static/enhance.js | sha256sum | cut -c1-16)"
  rm -rf "$pkg"
  mkdir -p "$pkg"
  wasm-bindgen "$wasm" --target web --no-typescript --out-dir "$pkg" --out-name "$name"
  wasm-opt -Oz "$pkg/${name}_bg.wasm" -o "$pkg/${name}_bg.wasm"
  cp style/main.css "$pkg/$name.css"
  cp app/static/enhance.js "$pkg/$name-enhance.js"
  node -e '
    const fs = require("fs"), path = require("path"), zlib = require("zlib");
    const dir = process.argv[1];
    for (const name of fs.readdirSync(dir)) {
      if (!/\.(js|wasm|css)$/.test(name)) continue;
      const file = path.join(dir, name), data = fs.readFileSync(file);
      fs.writeFileSync(file + ".br", zlib.brotliCompressSync(data, {
        params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }));
      fs.writeFileSync(file + ".gz", zlib.gzipSync(data, { level: 9 }));
    }' "$pkg"
  echo "$name" > "$pkg/bundle-name"
}

build_release() {
  log "Building the release server (zi)"
  cargo build --release -p zi --bin zi
  build_site
}

# The S3 server of the S3 evidence tests: moto's server mode from PyPI, in its
# own virtualenv under target/tools (python3 with venv, from Debian when missing).
ensure_moto() {
  local venv="$TOOLS_DIR/moto"
  if [ "$("$venv/bin/python" -c 'import moto; print(moto.__version__)' 2>/dev/null)" != "$MOTO_VERSION" ]; then
    log "Installing moto[server] $MOTO_VERSION (PyPI) into target/tools/moto"
    if ! python3 -m venv --help >/dev/null 2>&1; then
      local sudo=""
      [ "$(id -u)" -eq 0 ] || sudo="sudo"
      $sudo apt-get update -qq
      $sudo apt-get install -y -qq python3-venv
    fi
    rm -rf "$venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet "moto[server]==$MOTO_VERSION"
  fi
}

# The services the tests start, stopped when the calling script exits.
STOP_AT_EXIT=()
stop_at_exit() {
  STOP_AT_EXIT+=("$1")
  trap 'for pid in "${STOP_AT_EXIT[@]}"; do kill "$pid" 2>/dev/null || true; done' EXIT
}

# A free TCP port on loopback.
free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# Waits until something listens on loopback port $1, while process $2 lives.
wait_for_port() {
  local port="$1" pid="$2" name="$3" log="$4" tries=0
  until (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do
    tries=$((tries + 1))
    if [ "$tries" -gt 100 ] || ! kill -0 "$pid" 2>/dev/null; then
      echo "$name did not start on port $port; see $log" >&2
      exit 1
    fi
    sleep 0.1
  done
}

# Starts moto on a free loopback port, exports TEST_S3_ENDPOINT, and stops it
# when the calling script exits.
start_moto() {
  local port
  port="$(free_port)"
  "$TOOLS_DIR/moto/bin/moto_server" -H 127.0.0.1 -p "$port" >"$PWD/target/moto.log" 2>&1 &
  MOTO_PID=$!
  stop_at_exit "$MOTO_PID"
  wait_for_port "$port" "$MOTO_PID" "moto" target/moto.log
  export TEST_S3_ENDPOINT="http://127.0.0.1:$port"
  log "moto (S3) listens at $TEST_S3_ENDPOINT"
}

# The OpenID provider of the single sign-on tests: npm's oidc-provider, pinned
# in end2end/oidc/package.json (its lockfile), run by end2end/oidc/provider.mjs.
ensure_oidc_provider() {
  local wanted installed
  wanted="$(node -p 'require("./end2end/oidc/package.json").dependencies["oidc-provider"]')"
  installed="$(node -p 'require("./end2end/oidc/node_modules/oidc-provider/package.json").version' 2>/dev/null || true)"
  if [ "$installed" != "$wanted" ]; then
    log "Installing the test OpenID provider (oidc-provider $wanted, npm ci in end2end/oidc)"
    (cd end2end/oidc && npm ci --no-audit --no-fund --silent)
  fi
}

# Starts it on a free loopback port, exports TEST_OIDC_ISSUER, and stops it
# when the calling script exits.
start_oidc() {
  local port
  port="$(free_port)"
  node end2end/oidc/provider.mjs "$port" >"$PWD/target/oidc-provider.log" 2>&1 &
  OIDC_PID=$!
  stop_at_exit "$OIDC_PID"
  wait_for_port "$port" "$OIDC_PID" "The test OpenID provider" target/oidc-provider.log
  export TEST_OIDC_ISSUER="http://127.0.0.1:$port"
  log "oidc-provider (OpenID Connect) listens at $TEST_OIDC_ISSUER"
}

# Shared by scripts/run and scripts/test: installs the pinned build tools when
# missing. Sourced, not run.

CARGO_LEPTOS_VERSION="0.3.10"
BINARYEN_VERSION="132.0.0"
TOOLS_DIR="$PWD/target/tools"

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
  if [ "$(cargo leptos --version 2>/dev/null | awk '{print $2}')" != "$CARGO_LEPTOS_VERSION" ]; then
    log "Installing cargo-leptos $CARGO_LEPTOS_VERSION (takes about 12 minutes once)"
    cargo install cargo-leptos --version "$CARGO_LEPTOS_VERSION" --locked
  fi
  local wbg
  wbg="$(wasm_bindgen_version)"
  if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$wbg" ]; then
    log "Installing wasm-bindgen-cli $wbg (cargo-leptos would otherwise try to download it)"
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

build_release() {
  log "Building the release server and the browser bundle (cargo leptos build --release)"
  cargo leptos build --release
}

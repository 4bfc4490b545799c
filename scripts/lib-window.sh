# Sourced by scripts/test and scripts/ui-bench: an X display and tauri-driver, to drive the real
# app window. Needs $work, a temporary folder; at exit every process started here is stopped and
# $work removed.
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

# start_display FIRST: Xvfb on a display between :FIRST and :FIRST+99 ($display), ready once its
# socket is there.
start_display() {
  display=":$(($1 + RANDOM % 100))"
  Xvfb "$display" -screen 0 1280x860x24 -nolisten tcp >"$work/xvfb.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 50); do [ -e "/tmp/.X11-unix/X${display#:}" ] && break; sleep 0.1; done
}

# start_driver PORT LOG [NAME=value...]: tauri-driver on PORT (WebKitWebDriver on PORT+1000),
# logging to LOG, ready once it listens; its pid in $driver. WebKitWebDriver starts the app, which
# inherits this environment: $display, the NAME=value given, no D-Bus session (the app must not
# need one; KEEP_SESSION_BUS=1 keeps the caller's, as a desktop has) and no automation passphrase
# unless given.
start_driver() {
  local port="$1" log="$2"
  shift 2
  local bus=(-u DBUS_SESSION_BUS_ADDRESS)
  [ "${KEEP_SESSION_BUS:-}" = 1 ] && bus=()
  env "${bus[@]}" -u SRT_DESK_PASSPHRASE DISPLAY="$display" "$@" \
    tauri-driver --port "$port" --native-port "$((port + 1000))" --native-driver "$(command -v WebKitWebDriver)" \
    >"$log" 2>&1 &
  driver=$!
  pids+=("$driver")
  for _ in $(seq 100); do
    (echo >"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
    sleep 0.1
  done
}

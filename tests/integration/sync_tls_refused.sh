#!/usr/bin/env bash
# TLS that must fail (docs/reliability.md), against the real server with
# certificates this test makes: an expired server certificate, one for
# another host, and, where the server requires mutual TLS, no client
# certificate or one from another CA. Each sync fails clearly (exit 1, not
# "offline"), changes neither register, and sends no record: the server logs
# no request at all, because the handshake failed first. A client
# certificate from the right CA gets through (the control).
source "$(dirname "$0")/synclib.bash"
export PRESENTIE_USER=jdevries

PKI="$WORK/pki"
mkdir -p "$PKI"
ssl() { openssl "$@" 2>"$PKI/openssl.err" || fail "openssl $1: $(cat "$PKI/openssl.err")"; }
make_ca() {  # make_ca NAME
  ssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=$1" \
    -keyout "$PKI/$1.key" -out "$PKI/$1.pem" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign"
}
# make_cert NAME CA SAN USAGE DAYS: a leaf certificate signed by CA.
make_cert() {
  ssl req -newkey rsa:2048 -nodes -subj "/CN=$1" -keyout "$PKI/$1.key" -out "$PKI/$1.csr"
  printf 'subjectAltName=%s\nextendedKeyUsage=%s\nbasicConstraints=CA:FALSE\n' "$3" "$4" \
    >"$PKI/$1.ext"
  ssl x509 -req -in "$PKI/$1.csr" -CA "$PKI/$2.pem" -CAkey "$PKI/$2.key" -CAcreateserial \
    -days "$5" -extfile "$PKI/$1.ext" -out "$PKI/$1.pem"
}
make_ca test-ca
make_ca other-ca
make_cert server test-ca IP:127.0.0.1 serverAuth 2
make_cert expired test-ca IP:127.0.0.1 serverAuth -1     # notAfter: yesterday
make_cert elsewhere test-ca DNS:hub.example.nl serverAuth 2
make_cert laptop test-ca DNS:laptop clientAuth 2
make_cert stranger other-ca DNS:laptop clientAuth 2
chmod 600 "$PKI"/*.key

new_device a
learners_csv "$WORK/learners.csv" L 3 1
on a learner import "$WORK/learners.csv"
expect_rc 0

# with_server CERT [CLIENT_CA]: (re)starts the hub with that certificate,
# requiring client certificates from CLIENT_CA when given.
with_server() {
  stop_server
  write_config "$WORK/server.json" 0 "$PKI/$1.pem" "$PKI/$1.key"
  if [[ -n "${2:-}" ]]; then
    python3 - "$WORK/server.json" "$PKI/$2.pem" <<'PY' || fail "cannot add client_ca_file"
import json, sys
c = json.load(open(sys.argv[1]))
c["client_ca_file"] = sys.argv[2]
json.dump(c, open(sys.argv[1], "w"), indent=2)
PY
  fi
  start_server "$WORK/server.json"
  URL="https://127.0.0.1:$PORT"
  LOG="$WORK/server$SERVER_LOG_N.log"
}

# refused WHAT: the last sync failed on TLS, and nothing moved.
refused() {
  expect_rc 1
  expect_err "remote hub"
  expect_err "TLS failed"
  expect_no_err "offline"
  expect_empty_out
  snapshot "$(db_of a)" "$WORK/a.after"
  expect_same_snapshot "$WORK/a.before" "$WORK/a.after"
  CHECKS=$((CHECKS + 1))
  ! grep -qE ' /v1/[a-z]+ [0-9]{3} ' "$LOG" ||
    fail "$1: the server answered a request: $(grep -E ' /v1/' "$LOG" | head -3)"
  CHECKS=$((CHECKS + 1))
  [[ "$(sqlite3 "$HUB_DB" "SELECT count(*) FROM versions WHERE received_from != ''")" == 0 ]] ||
    fail "$1: the hub holds versions it received"
}
# remote [CLIENT_CERT]: points a's remote "hub" at the running server; what
# a holds then is what a refused sync must leave.
remote() {
  local extra=()
  [[ -n "${1:-}" ]] && extra=(--cert "$PKI/$1.pem" --key "$PKI/$1.key")
  on a remote add hub "$URL" --token-file "$WORK/a/token" --ca-file "$PKI/test-ca.pem" "${extra[@]}"
  expect_rc 0
  snapshot "$(db_of a)" "$WORK/a.before"
}

# --- An expired server certificate.
with_server expired
remote
on a sync
refused "expired certificate"
expect_err "expired"

# --- A certificate for another host name.
with_server elsewhere
remote
on a sync
refused "wrong host name"
expect_err "host name"

# --- Mutual TLS required: no client certificate.
with_server server test-ca
remote
on a sync
refused "no client certificate"

# --- Mutual TLS required: a client certificate from another CA.
remote stranger
on a sync
refused "client certificate of another CA"

# --- The control: a client certificate from the right CA syncs.
remote laptop
sync_ok a
[[ $PUSHED -ge 3 ]] || fail "the control pushed only $PUSHED versions"
expect_all_answered "$LOG" 2
stop_server
done_ok

#!/usr/bin/env bash
# The whole sync over HTTPS with certificates this test makes (a CA and a
# server certificate for 127.0.0.1), verification on: with the CA given as
# --ca-file two devices converge; without it, or with another CA, the sync
# fails clearly (TLS, exit 1, not "offline") and changes nothing.
source "$(dirname "$0")/synclib.bash"
export PRESENTIE_USER=jdevries

PKI="$WORK/pki"
mkdir -p "$PKI"
make_ca() {  # make_ca NAME
  openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=$1" \
    -keyout "$PKI/$1.key" -out "$PKI/$1.pem" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
    2>"$PKI/openssl.err" || fail "openssl: $(cat "$PKI/openssl.err")"
}
make_ca test-ca
make_ca other-ca
openssl req -newkey rsa:2048 -nodes -subj "/CN=127.0.0.1" \
  -keyout "$PKI/server.key" -out "$PKI/server.csr" 2>"$PKI/openssl.err" ||
  fail "openssl: $(cat "$PKI/openssl.err")"
printf 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n' \
  >"$PKI/server.ext"
openssl x509 -req -in "$PKI/server.csr" -CA "$PKI/test-ca.pem" -CAkey "$PKI/test-ca.key" \
  -CAcreateserial -days 2 -extfile "$PKI/server.ext" -out "$PKI/server.pem" \
  2>"$PKI/openssl.err" || fail "openssl: $(cat "$PKI/openssl.err")"
chmod 600 "$PKI"/*.key

new_device a
new_device b
write_config "$WORK/server.json" 0 "$PKI/server.pem" "$PKI/server.key"
start_server "$WORK/server.json"
URL="https://127.0.0.1:$PORT"

for d in a b; do
  on "$d" remote add hub "$URL" --token-file "$WORK/$d/token" --ca-file "$PKI/test-ca.pem"
  expect_rc 0
  expect_no_err "plain HTTP"
done
on a remote list --json
json_check "assert d[0]['ca_file'] == '$PKI/test-ca.pem', d"

learners_csv "$WORK/learners.csv" L 3 1
on a learner import "$WORK/learners.csv"
expect_rc 0
on a course add --id nt2-a --name "NT2 groep A" --component nt2 --regime wi2021 --route B
expect_rc 0
on a course enroll nt2-a L1 L2 L3
expect_rc 0
on a lesson add --course nt2-a --start 2026-11-30T09:00 --minutes 180 --teacher "J. de Vries"
expect_rc 0
LESSON="$(cat "$OUT")"
on a attend "$LESSON" --present L1 L2 --absent L3:illness
expect_rc 0
sync_ok a
A_PUSHED=$PUSHED
[[ $A_PUSHED -ge 8 ]] || fail "a pushed only $A_PUSHED versions over HTTPS"
sync_ok b
[[ $ACCEPTED == "$A_PUSHED" ]] || fail "b kept $ACCEPTED versions of a's $A_PUSHED"
on b attend "$LESSON" --partial L1:60:illness
expect_rc 0
sync_ok b
sync_ok a
dump a "$WORK/a.dump"
dump b "$WORK/b.dump"
expect_same_dump "$WORK/a.dump" "$WORK/b.dump"

# Without the CA: the system's CAs do not know this server.
new_device c
on c remote add hub "$URL" --token-file "$WORK/c/token"
expect_rc 0
snapshot "$(db_of c)" "$WORK/c.before"
on c sync
expect_rc 1
expect_err "remote hub ($URL)"
expect_err "certificate"
expect_err "--ca-file"
expect_no_err "offline"
expect_empty_out
snapshot "$(db_of c)" "$WORK/c.after"
expect_same_snapshot "$WORK/c.before" "$WORK/c.after"

# With another CA: refused the same way.
on c remote add hub "$URL" --token-file "$WORK/c/token" --ca-file "$PKI/other-ca.pem"
expect_rc 0
on c --json sync
expect_rc 1
expect_err "certificate"
expect_empty_out

# A CA file that does not exist is refused when the remote is added.
on c remote add hub "$URL" --token-file "$WORK/c/token" --ca-file "$PKI/missing.pem"
expect_rc 6
expect_err "--ca-file"

stop_server
done_ok

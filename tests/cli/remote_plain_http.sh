#!/usr/bin/env bash
# `presentie remote add` and plain HTTP (docs/cli.md, "remote add"): an
# http:// URL to a host that is not loopback would send the device's token
# across the network unencrypted, so it is refused (exit 5) with what to do,
# and nothing is stored, unless --allow-plain-http says a TLS proxy or a
# private link protects the way. Loopback, and https://, need no flag.
source "$(dirname "$0")/testlib.bash"

export PRESENTIE_DB="$WORK/register.db"
run init --school "De Brug" --brin 25AB
expect_rc 0
printf 'a-token\n' >"$WORK/hub.token"
chmod 600 "$WORK/hub.token"
snapshot "$PRESENTIE_DB" "$WORK/before.sql"

for url in http://10.8.0.1:8080 http://hub.brug.nl http://HUB.BRUG.NL:80/ \
  "http://[2001:db8::1]:8443" http://0.0.0.0:8443 http://192.168.1.20; do
  run remote add hub "$url" --token-file "$WORK/hub.token"
  expect_rc 5
  expect_err "$url is plain HTTP to a host that is not loopback"
  expect_err "Use an https:// URL"
  expect_err "--allow-plain-http"
  expect_empty_out
done
run remote list --json
json_check "assert d == [], d"
snapshot "$PRESENTIE_DB" "$WORK/after.sql"
expect_same_snapshot "$WORK/before.sql" "$WORK/after.sql"

# Said to be protected: stored, with the warning that the token travels unencrypted.
run remote add hub http://10.8.0.1:8080 --token-file "$WORK/hub.token" --allow-plain-http
expect_rc 0
expect_out_line "hub"
expect_err "plain HTTP"
run remote list --json
json_check "assert [r['url'] for r in d] == ['http://10.8.0.1:8080'], d"

# Loopback, in each spelling, and https:// anywhere: no flag needed.
for url in http://127.0.0.1:8443 http://127.1.2.3:8443 http://localhost:8443 \
  http://LocalHost "http://[::1]:8443" "http://[::ffff:127.0.0.1]:8443" https://10.8.0.1:8443; do
  run remote add hub2 "$url" --token-file "$WORK/hub.token"
  expect_rc 0
  expect_no_err "not loopback"
done
done_ok

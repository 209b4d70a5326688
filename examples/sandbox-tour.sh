#!/usr/bin/env bash
# Runs every Cloudflare skill once against the built-in sandbox: no Cloudflare account needed.
# Needs the build (mvn -B -q package -DskipTests). Prints each command and its JSON result.
set -euo pipefail

cd "$(dirname "$0")/.."
jar=skill-runner/target/skill-runner.jar
if [[ ! -f $jar ]]; then
  echo "Build first: mvn -B -q package -DskipTests" >&2
  exit 2
fi
work=$(mktemp -d)
java -jar "$jar" sandbox cloudflare-skills > "$work/sandbox.json" 2> "$work/sandbox.log" &
sandbox=$!
trap 'kill $sandbox 2>/dev/null; rm -rf "$work"' EXIT

for _ in $(seq 1 100); do
  [[ -s $work/sandbox.json ]] && break
  sleep 0.1
done
if [[ ! -s $work/sandbox.json ]]; then
  echo "The sandbox did not start:" >&2
  cat "$work/sandbox.log" >&2
  exit 1
fi
echo "# The sandbox is running. To paste the commands below yourself, start one with:" >&2
echo "#   java -jar $jar sandbox > sandbox.json &" >&2
echo "# Each run is recorded in the home folder (\$QUIVER_HOME, default ~/.quiver): see 'Execution records' in the README." >&2

run() {
  local skill=$1 input=$2
  shift 2
  echo
  echo "\$ java -jar $jar run $skill --connection sandbox.json --input '$input' $*"
  java -jar "$jar" run "$skill" --connection "$work/sandbox.json" --input "$input" "$@" || echo "(exit $?)"
}

run cloudflare_verify_connection '{"discover_permissions": false}'
run cloudflare_get_zone_details '{"name": "contains:example", "status": "active", "limit": 2}'
run cloudflare_get_audit_logs '{"actor_email": "mallory@example.com", "action_type": "delete", "limit": 2}'
run cloudflare_get_audit_logs_for_detections '{"actor_ip": "185.220.101.45", "since": "2000-01-01T00:00:00Z", "limit": 3}'
run cloudflare_get_security_insights '{"severity": ["critical"], "limit": 2}'
run cloudflare_list_access_applications '{"search": "graf"}'
run cloudflare_create_ruleset_rule '{"phase": "http_request_firewall_custom", "rule": {"action": "block", "expression": "ip.src eq 185.220.101.45", "description": "SOAR: block 185.220.101.45", "ref": "soar-block-185.220.101.45"}}' --dry-run
run cloudflare_create_ruleset_rule '{"phase": "http_request_firewall_custom", "rule": {"action": "block", "expression": "ip.src eq 185.220.101.45", "description": "SOAR: block 185.220.101.45", "ref": "soar-block-185.220.101.45"}}'
run cloudflare_create_ruleset_rule '{"phase": "http_request_firewall_custom", "rule": {"action": "block", "expression": "ip.src eq 185.220.101.45", "description": "SOAR: block 185.220.101.45", "ref": "soar-block-185.220.101.45"}}'
run cloudflare_list_dns_records '{"type": "TXT"}'
run cloudflare_get_zone_security_settings '{}'
run cloudflare_list_firewall_rules '{}'
run cloudflare_list_rate_limit_rules '{}'
run cloudflare_list_workers '{}'
run cloudflare_list_edge_rules '{}'
run cloudflare_review_security_posture '{"zones": ["example.com"], "bad_ips": ["192.0.2.66", "203.0.113.7", "198.51.100.77", "45.155.205.233"]}'
run cloudflare_review_security_posture '{}' --format markdown

echo >&2
echo "# Next, the same skills in the web console (connect by clicking, forms, records):" >&2
echo "#   java -jar $jar serve --sandbox      # prints an admin key on its first start" >&2
echo "#   then open http://127.0.0.1:8686/ and sign in with that key (README: 'The console')." >&2

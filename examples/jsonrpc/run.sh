#!/usr/bin/env bash
# Replays JSON-RPC sessions against the stdio server: every request line gets its reply line.
#
#   examples/jsonrpc/run.sh [session.jsonl ...]      (default: every *.jsonl here, in order)
#
# Environment:
#   LIFEBOAT_CONFIG   the lifeboat.yaml to serve (else the usual search: XDG config, embedded defaults)
#   LIFEBOAT_MCP_JAR  the server jar (default: mcp-server/target/lifeboat-mcp.jar; build with ./mvnw package)
#   DATABASE          fills __DATABASE__ (default: the first configured database, from list_databases)
#   BACKUP_ID         fills __BACKUP_ID__ (default: the newest backup of DATABASE, from list_backups)
# Replies go to stdout, one JSON object per line; the server's log goes to stderr.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
jar="${LIFEBOAT_MCP_JAR:-$root/mcp-server/target/lifeboat-mcp.jar}"
[[ -f "$jar" ]] || { echo "no server jar at $jar: run ./mvnw -q -pl mcp-server -am package -DskipTests" >&2; exit 2; }
args=()
[[ -n "${LIFEBOAT_CONFIG:-}" ]] && args+=(--config "$LIFEBOAT_CONFIG")

serve() { java -jar "$jar" "${args[@]}"; }

# first match of "key":"value" in the replies
field() { grep -o "\"$1\":\"[^\"]*\"" | head -n 1 | sed -e "s/^\"$1\":\"//" -e 's/"$//'; }

if [[ -z "${DATABASE:-}" ]]; then
  DATABASE="$(serve < "$here/01-list-databases.jsonl" | grep '"id":2' | field name || true)"
fi
if [[ -z "${BACKUP_ID:-}" && -n "$DATABASE" ]]; then
  BACKUP_ID="$(sed "s/__DATABASE__/$DATABASE/g" "$here/03-list-backups.jsonl" | serve | grep '"id":1' \
    | field backup_id || true)"
fi

sessions=("$@")
[[ ${#sessions[@]} -gt 0 ]] || sessions=("$here"/*.jsonl)
for s in "${sessions[@]}"; do
  echo "### $(basename "$s")" >&2
  sed -e "s/__DATABASE__/${DATABASE:-app}/g" -e "s/__BACKUP_ID__/${BACKUP_ID:-app-20000101T000000Z-0000}/g" "$s" | serve
done

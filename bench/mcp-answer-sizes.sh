#!/bin/sh
# What Lifeboat's MCP answers cost a model's context window, measured on the wire by the real Java
# SDK client (AnswerSizeTest: tools/list, a default list_backups of a database with 200 backups, prune
# dry runs removing 5 and 190), and recorded in bench/mcp-answer-sizes.md. The test itself fails when
# tools/list passes 16 KiB, a default list_backups 8 KiB, or a prune dry run stops growing with what it
# removes only. Runs offline on the module's tests; no PostgreSQL needed.
set -eu
cd "$(dirname "$0")/.."
./mvnw -o -q -pl mcp-server -am verify -Dtest=AnswerSizeTest -Dsurefire.failIfNoSpecifiedTests=false \
    -DskipITs -Dspotless.check.skip=true -Djacoco.skip=true
{
    echo "# MCP answer sizes"
    echo
    echo "Bytes of each answer as JSON on the wire (\`bench/mcp-answer-sizes.sh\`, $(date -u +%Y-%m-%d), $(git describe --always --dirty))."
    echo "Targets: tools/list ≤ 16384, default list_backups ≤ 8192, prune dry run proportional to its removals."
    echo
    cat mcp-server/target/mcp-answer-sizes.md
} > bench/mcp-answer-sizes.md
cat bench/mcp-answer-sizes.md

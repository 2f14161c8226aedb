#!/bin/sh
# The start-up archive of a shaded jar, made by the build (`package`): a static AppCDS archive.
#
#   build/cds-archive.sh JAVA JAR OUT FACE     (FACE: cli or mcp)
#
# Training runs of the jar (--version, a listing, a verify and a backup that fail on a throwaway
# store, the stdio MCP server answering initialize, tools/list and list_backups) record the classes
# they load (-XX:DumpLoadedClassList); their union is OUT.classlist, and `-Xshare:dump` turns it into
# OUT.jsa. When PostgreSQL's binaries are installed, a throwaway cluster (scram logins, loopback, a
# port of its own, removed at the end) serves real runs too: a backup, a verify and a restore, and the
# MCP server's create_backup and restore_backup. Without them the JDBC driver, the login and the
# restore's classes (~450) were read from the jar and verified at every start of a backup or restore. A static archive, unlike the dynamic one a launcher can make on first use, also holds
# picocli's classes (Java 5 bytecode) and the JDK's own: every class a command loads comes from it.
#
# OUT.jsa.jvm names the JVM (its real path) and the jar (its real path) the archive was made for:
# Java 17 maps an archive only for the exact JVM build and the exact class path it was made with, so
# bin/lifeboat uses OUT.jsa only when both match and neither the jar nor the JVM is newer, and falls
# back to an archive of its own otherwise (made from OUT.classlist, which the release archive ships).
#
# With a Java 25 or later at hand (LIFEBOAT_AOT_JAVA, else the first under /usr/lib/jvm), the CLI's
# real runs also train AOT caches for it, one per command that streams a dump (OUT-backup.aot,
# OUT-verify.aot, OUT-restore.aot, each with a .jvm file as above): a cache holds only what its one
# training run loaded, and the launcher's own training reaches no database (docs/performance.md).
#
# Never fails the build: without an archive the launchers still run, only slower to start.
set -u

java=$1
jar=$(readlink -f "$2" 2>/dev/null || echo "$2")
out=$3
face=$4

rm -f "$out.jsa" "$out.jsa.jvm" "$out.classlist" "$out.jsa.tmp" "$out"-*.aot "$out"-*.aot.jvm "$out"-*.aot.tmp*
[ -f "$jar" ] || { echo "cds-archive: no jar at $jar; no start-up archive" >&2; exit 0; }
work=$(mktemp -d 2>/dev/null) || exit 0
trap 'rm -rf "$work"' EXIT

# a store with one committed backup (a manifest, no data) and a database nothing listens for
id=app-20260101T000000Z-0001
mkdir -p "$work/store/app/$id"
printf '%s\n' 'databases:' '  app:' '    host: 127.0.0.1' '    port: 1' '    user: training' \
    'stores:' '  local:' "    uri: file://$work/store" "state_dir: $work/state" >"$work/lifeboat.yaml"
chmod 600 "$work/lifeboat.yaml"
printf '{"format_version":1,"id":"%s","database":"app","kind":"postgresql","server":{"host":"h","port":5432,"dbname":"app","user":"u","version":"15.1","major_version":15},"dump_tool":"pg_dump","format":"custom","compression":"gzip","size_bytes":1,"sha256":"%s","created_at":"2026-01-01T00:00:00.123456Z","finished_at":"2026-01-01T00:00:01Z","duration_millis":1000,"tags":{"k":"v"},"tool_version":"0","row_counts":"estimate","tables":[{"schema":"public","name":"t","rows":1,"estimated":true}]}\n' \
    "$id" "$(printf '%064d' 0)" >"$work/store/app/$id/manifest.json"
printf '%s\n' \
    '{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"training","version":"1"}}}' \
    '{"jsonrpc":"2.0","method":"notifications/initialized"}' \
    '{"jsonrpc":"2.0","id":2,"method":"tools/list"}' \
    '{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"list_backups","arguments":{}}}' \
    >"$work/requests.jsonl"

limit=
if command -v timeout >/dev/null 2>&1; then limit="timeout 120"; fi
cfg="$work/lifeboat.yaml"
n=0
# one training run; its exit status does not matter, only the classes it loaded (its output is kept in
# $work/out, which the real runs read a backup's id from)
train() {
    input=$1
    shift
    n=$((n + 1))
    # shellcheck disable=SC2086
    HOME="$work" XDG_CACHE_HOME="$work/cache" $limit "$java" -Xshare:auto -XX:+UseSerialGC \
        -XX:DumpLoadedClassList="$work/$n.classlist" "$@" <"$input" >"$work/out" 2>&1 || true
}
# A Java 25 or later for the AOT caches: LIFEBOAT_AOT_JAVA, else the first JDK under /usr/lib/jvm whose
# release file says so; none: no caches
aot_java=
feature_of() {
    v=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/release" 2>/dev/null | head -n 1)
    echo "${v:-0}"
}
if [ -n "${LIFEBOAT_AOT_JAVA:-}" ] && [ -x "$LIFEBOAT_AOT_JAVA" ]; then
    aot_java=$(readlink -f "$LIFEBOAT_AOT_JAVA" 2>/dev/null || echo "$LIFEBOAT_AOT_JAVA")
else
    for home in /usr/lib/jvm/*; do
        if [ -x "$home/bin/java" ] && [ "$(feature_of "$home")" -ge 25 ]; then
            aot_java=$(readlink -f "$home/bin/java")
            break
        fi
    done
fi
# One AOT training run of the CLI with the options bin/lifeboat gives a command that streams a dump
# (a cache is used only with compatible ones); its cache is kept as OUT-KIND.aot when complete
aot_train() {
    kind=$1
    shift
    [ -n "$aot_java" ] || return 0
    tmp="$out-$kind.aot.tmp"
    HOME="$work" XDG_CACHE_HOME="$work/cache" $limit "$aot_java" -Xlog:disable -Xlog:all=warning:stderr \
        -Xmx64m -XX:+UseSerialGC -XX:CompileThresholdScaling=3 -XX:AOTCacheOutput="$tmp" -jar "$jar" "$@" \
        </dev/null >"$work/aot-$kind.log" 2>&1 || true
    rm -f "$tmp.config"
    if [ -s "$tmp" ]; then
        printf '%s %s\n' "$aot_java" "$jar" >"$out-$kind.aot.jvm"
        mv -f "$tmp" "$out-$kind.aot"
    else
        rm -f "$tmp"
        echo "cds-archive: no Java $(feature_of "${aot_java%/bin/java}") AOT cache for $kind:" >&2
        tail -n 3 "$work/aot-$kind.log" >&2
    fi
}
# A throwaway PostgreSQL for the real runs; `pg_up` fails quietly when it cannot start one
pg_as=
pg_data="$work/pg/data"
pg_sock="$work/pg/sock"
pg_ctl_bin=
pg_up() {
    bindir=
    for d in /usr/lib/postgresql/*/bin /usr/pgsql-*/bin /usr/local/pgsql/bin; do
        [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && [ -x "$d/psql" ] && bindir=$d
    done
    if [ -z "$bindir" ] && command -v pg_config >/dev/null 2>&1; then
        d=$(pg_config --bindir 2>/dev/null) && [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && bindir=$d
    fi
    [ -n "$bindir" ] || return 1
    mkdir -p "$pg_sock" && (umask 077 && head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$work/pg.pass") || return 1
    if [ "$(id -u)" = 0 ]; then
        # initdb refuses root: the cluster runs as postgres, which must reach its directory
        id postgres >/dev/null 2>&1 && command -v runuser >/dev/null 2>&1 || return 1
        pg_as="runuser -u postgres --"
        chmod 711 "$work" && cp "$work/pg.pass" "$work/pg/pwfile" && chown -R postgres "$work/pg" || return 1
    else
        cp "$work/pg.pass" "$work/pg/pwfile" || return 1
    fi
    $pg_as "$bindir/initdb" -D "$pg_data" -U training --pwfile="$work/pg/pwfile" -E UTF8 --no-sync \
        --auth-host=scram-sha-256 --auth-local=trust >/dev/null 2>&1 || return 1
    rm -f "$work/pg/pwfile"
    pg_ctl_bin="$bindir/pg_ctl"
    tries=0
    while [ $tries -lt 5 ]; do
        tries=$((tries + 1))
        pg_port=$((20000 + ($$ * 7 + tries * 613) % 30000))
        if $pg_as "$pg_ctl_bin" -D "$pg_data" -l "$work/pg/log" -w -t 30 \
            -o "-p $pg_port -k $pg_sock -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null 2>&1; then
            $pg_as "$bindir/psql" -X -q -h "$pg_sock" -p "$pg_port" -U training -d postgres \
                -c "CREATE DATABASE app" >/dev/null 2>&1 &&
                $pg_as "$bindir/psql" -X -q -h "$pg_sock" -p "$pg_port" -U training -d app \
                    -c "CREATE TABLE t (id serial PRIMARY KEY, v text); INSERT INTO t (v) SELECT md5(i::text) FROM generate_series(1, 1000) i" \
                    >/dev/null 2>&1 || return 1
            printf '%s\n' 'databases:' '  app:' '    host: 127.0.0.1' "    port: $pg_port" '    user: training' \
                '    dbname: app' "    password_file: $work/pg.pass" \
                'stores:' '  local:' "    uri: file://$work/pgstore" "state_dir: $work/pgstate" >"$work/pg.yaml"
            chmod 600 "$work/pg.yaml"
            return 0
        fi
    done
    pg_ctl_bin=
    return 1
}
pg_down() {
    [ -n "$pg_ctl_bin" ] && $pg_as "$pg_ctl_bin" -D "$pg_data" -m immediate -w stop >/dev/null 2>&1
    pg_ctl_bin=
}
trap 'pg_down; rm -rf "$work"' EXIT

# the real runs, when a cluster started: the first backup's id is what the restores name
real() {
    pg_up || { echo "cds-archive: no PostgreSQL to train against (the archive holds no JDBC classes)" >&2; return 0; }
    pcfg="$work/pg.yaml"
    init='{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"training","version":"1"}}}'
    ready='{"jsonrpc":"2.0","method":"notifications/initialized"}'
    create='{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"create_backup","arguments":{"database":"app","wait":50}}}'
    printf '%s\n' "$init" "$ready" "$create" >"$work/pg-create.jsonl"
    # this first backup is a training run too: the MCP server's, or the CLI's with --json
    if [ "$face" = mcp ]; then
        train "$work/pg-create.jsonl" -jar "$jar" --config "$pcfg"
    else
        train /dev/null -jar "$jar" backup create --database app --json --config "$pcfg"
    fi
    backup=$(grep -o '"\(backup_\)\{0,1\}id" *: *"app-[0-9A-Za-z-]*"' "$work/out" | head -n 1 | sed 's/.*"\(app-[^"]*\)"$/\1/')
    if [ -z "$backup" ]; then
        echo "cds-archive: the training backup failed (the archive holds no JDBC classes):" >&2
        tail -n 5 "$work/out" >&2
        pg_down
        return 0
    fi
    restore="{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\",\"params\":{\"name\":\"restore_backup\",\"arguments\":{\"backup_id\":\"$backup\",\"target_dbname\":\"app_mcp\",\"wait\":50}}}"
    printf '%s\n' "$init" "$ready" "$create" "$restore" >"$work/pg-requests.jsonl"
    if [ "$face" = mcp ]; then
        train "$work/pg-requests.jsonl" -jar "$jar" --config "$pcfg"
    else
        train /dev/null -jar "$jar" backup create --database app --compression zstd --config "$pcfg"
        train /dev/null -jar "$jar" verify "$backup" --level archive --config "$pcfg"
        train /dev/null -jar "$jar" restore "$backup" --target-database app_copy --config "$pcfg"
        train /dev/null -jar "$jar" restore "$backup" --target-database app_copy --replace --config "$pcfg"
        train "$work/pg-requests.jsonl" -jar "$jar" mcp serve --config "$pcfg"
        aot_train backup backup create --database app --config "$pcfg"
        aot_train verify verify "$backup" --level checksum --config "$pcfg"
        # the restore's cache from a confirmed replace of app_copy (restored above): the shadow, the
        # restore beside it, the carry-over and the swap, what a restore over a live database runs
        token=$(HOME="$work" XDG_CACHE_HOME="$work/cache" $limit "$java" -Xshare:auto -jar "$jar" restore "$backup" \
            --target-database app_copy --replace --plan --json --config "$pcfg" </dev/null 2>/dev/null |
            grep -o '"token" *: *"[^"]*"' | head -n 1 | sed 's/.*"\([^"]*\)"$/\1/')
        if [ -n "$token" ]; then
            aot_train restore restore "$backup" --target-database app_copy --replace --confirm "$token" --config "$pcfg"
        else
            echo "cds-archive: no replace plan to train the restore's AOT cache on" >&2
        fi
    fi
    pg_down
}

if [ "$face" = mcp ]; then
    train "$work/requests.jsonl" -jar "$jar" --config "$cfg"
    real
else
    train /dev/null -jar "$jar" --version
    train /dev/null -jar "$jar" backup list --json --config "$cfg"
    train /dev/null -jar "$jar" backup list --config "$cfg"
    train /dev/null -jar "$jar" verify "$id" --level checksum --config "$cfg"
    train /dev/null -jar "$jar" backup create --database app --config "$cfg"
    train "$work/requests.jsonl" -jar "$jar" mcp serve --config "$cfg"
    # the release archive's bin/lifeboat-mcp runs the server from this jar
    train "$work/requests.jsonl" -cp "$jar" dev.lifeboat.mcp.McpMain --config "$cfg"
    real
fi

# The union, in first-seen order. A lambda's call site naming a picocli type would make the dump link
# picocli's CommandLine (old bytecode, verified at link time), and a linked old class cannot be archived
cat "$work"/*.classlist 2>/dev/null | awk '!seen[$0]++' | grep -v '^@lambda-proxy.*picocli/' >"$out.classlist.tmp"
if [ ! -s "$out.classlist.tmp" ]; then
    rm -f "$out.classlist.tmp"
    echo "cds-archive: the training runs recorded no classes; no start-up archive" >&2
    exit 0
fi
mv -f "$out.classlist.tmp" "$out.classlist"

if "$java" -Xshare:dump -XX:SharedClassListFile="$out.classlist" -XX:SharedArchiveFile="$out.jsa.tmp" \
    -cp "$jar" >"$work/dump.log" 2>&1 && [ -s "$out.jsa.tmp" ]; then
    realjava=$(readlink -f "$java" 2>/dev/null || echo "$java")
    printf '%s %s\n' "$realjava" "$jar" >"$out.jsa.jvm"
    mv -f "$out.jsa.tmp" "$out.jsa"
else
    rm -f "$out.jsa.tmp"
    echo "cds-archive: -Xshare:dump failed; no start-up archive:" >&2
    tail -n 5 "$work/dump.log" >&2
fi
exit 0

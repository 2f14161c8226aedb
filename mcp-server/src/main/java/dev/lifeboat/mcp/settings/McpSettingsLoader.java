package dev.lifeboat.mcp.settings;

import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.base.LifeboatException;
import dev.lifeboat.core.config.Durations;
import dev.lifeboat.core.config.YamlTree;
import dev.lifeboat.mcp.auth.Scope;
import dev.lifeboat.mcp.auth.TokenEntry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Reads the {@code mcp:} section of the same {@code lifeboat.yaml} the core loader validated. It
 * lives here rather than in core because only the MCP server listens on a socket; core only has to
 * tolerate the key. Problems are collected and reported at once, each naming its setting.
 */
public final class McpSettingsLoader {
    private static final Set<String> KEYS = Set.of(
            "bind",
            "port",
            "allowed_origins",
            "allowed_hosts",
            "tokens",
            "allow_unauthenticated_local",
            "max_sessions",
            "max_sessions_per_token",
            "session_idle_timeout",
            "read_only",
            "tools");
    private static final Set<String> TOKEN_KEYS = Set.of("subject", "sha256", "scopes");
    private static final Pattern TOOL_NAME = Pattern.compile("[a-z][a-z0-9_]{0,63}");
    private static final String SCOPE_NAMES = "backups:read, backups:write, backups:delete, backups:restore";
    private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern SUBJECT = Pattern.compile("[A-Za-z0-9._@:-]{1,64}");
    private static final int MAX_SESSIONS_CEILING = 10_000;

    private McpSettingsLoader() {}

    /** The settings in {@code file}, or the defaults when there is no file or no {@code mcp:} section. */
    public static McpSettings load(Path file) {
        if (file == null || !Files.isRegularFile(file)) {
            return McpSettings.defaults();
        }
        JsonNode root;
        try {
            root = YamlTree.read(Files.readString(file));
        } catch (IOException | JacksonException e) {
            throw new LifeboatException(
                    ErrorCode.CONFIG_INVALID, "config file " + file + " could not be read", null, e);
        }
        return parse(root == null ? null : root.get("mcp"), file);
    }

    static McpSettings parse(JsonNode mcp, Path file) {
        if (mcp == null || mcp.isNull() || mcp.isMissingNode()) {
            return McpSettings.defaults();
        }
        List<String> problems = new ArrayList<>();
        if (!mcp.isObject()) {
            throw invalid(file, List.of("mcp: must be a mapping (" + String.join(", ", new TreeSet<>(KEYS)) + ")"));
        }
        for (Map.Entry<String, JsonNode> e : mcp.properties()) {
            if (!KEYS.contains(e.getKey())) {
                problems.add("mcp." + e.getKey() + ": unknown setting (known: " + String.join(", ", new TreeSet<>(KEYS))
                        + ")");
            }
        }
        String bind = McpSettings.DEFAULT_BIND;
        JsonNode b = mcp.get("bind");
        if (b != null && !b.isNull()) {
            if (!b.isString() || b.asString().isBlank()) {
                problems.add("mcp.bind: must be an address such as 127.0.0.1");
            } else {
                bind = b.asString().trim();
            }
        }
        int port = McpSettings.DEFAULT_PORT;
        JsonNode p = mcp.get("port");
        if (p != null && !p.isNull()) {
            if (!p.canConvertToInt() || p.asInt() < 0 || p.asInt() > 65535 || !p.isIntegralNumber()) {
                problems.add("mcp.port: '" + p.asString() + "' is not a port number (0-65535)");
            } else {
                port = p.asInt();
            }
        }
        List<String> origins = stringList(mcp, "allowed_origins", problems);
        for (String o : origins) {
            if (!o.matches("https?://[^/\\s]+")) {
                problems.add("mcp.allowed_origins: '" + o + "' is not an origin (scheme://host[:port], no path)");
            }
        }
        List<String> hosts = stringList(mcp, "allowed_hosts", problems);
        List<TokenEntry> tokens = new ArrayList<>();
        JsonNode t = mcp.get("tokens");
        if (t != null && !t.isNull()) {
            if (!t.isArray()) {
                problems.add("mcp.tokens: must be a list of {subject, sha256, scopes}");
            } else {
                int i = 0;
                for (JsonNode entry : t) {
                    token(entry, "mcp.tokens[" + i++ + "]", problems, tokens);
                }
            }
        }
        boolean allowUnauthenticated = flag(mcp, "allow_unauthenticated_local", problems);
        if (allowUnauthenticated && !tokens.isEmpty()) {
            problems.add("mcp.allow_unauthenticated_local: true has no effect while mcp.tokens are configured"
                    + " (tokens are then always required); remove one of them");
        }
        HttpLimits limits = limits(mcp, problems);
        ToolOffer offer = offer(mcp, problems);
        if (!problems.isEmpty()) {
            throw invalid(file, problems);
        }
        return new McpSettings(bind, port, origins, hosts, tokens, allowUnauthenticated, limits, offer);
    }

    /** {@code mcp.<key>}: true or false; false when absent, and reported when anything else. */
    private static boolean flag(JsonNode mcp, String key, List<String> problems) {
        JsonNode v = mcp.get(key);
        if (v == null || v.isNull()) {
            return false;
        }
        if (!v.isBoolean()) {
            problems.add("mcp." + key + ": must be true or false");
            return false;
        }
        return v.asBoolean();
    }

    /**
     * {@code read_only} and {@code tools}. Tool names are checked for their shape here and against the
     * server's tools when it starts ({@code LifeboatMcpServer.offered}), which only the server knows.
     */
    private static ToolOffer offer(JsonNode mcp, List<String> problems) {
        boolean readOnly = flag(mcp, "read_only", problems);
        Set<String> allowlist = new TreeSet<>();
        JsonNode t = mcp.get("tools");
        if (t != null && !t.isNull()) {
            if (!t.isArray() || t.isEmpty()) {
                problems.add("mcp.tools: must be a non-empty list of tool names (leave it out to offer every tool)");
            } else {
                for (JsonNode n : t) {
                    String name = text(n);
                    if (name == null || !TOOL_NAME.matcher(name).matches()) {
                        problems.add("mcp.tools: '" + (n.isContainer() ? n.toString() : n.asString())
                                + "' is not a tool name (e.g. list_backups, create_backup)");
                    } else if (!allowlist.add(name)) {
                        problems.add("mcp.tools: '" + name + "' is listed twice");
                    }
                }
            }
        }
        return new ToolOffer(readOnly, allowlist);
    }

    /**
     * Tokens whose scopes were written before {@code backups:delete} existed: {@code backups:write}
     * alone no longer deletes or prunes. Said at every start so the operator notices, not an error: the
     * narrower meaning is the safe one and such a token still works for what it is most often for.
     */
    public static List<String> notes(McpSettings settings) {
        List<String> notes = new ArrayList<>();
        for (TokenEntry t : settings.tokens()) {
            if (t.scopes().contains(Scope.WRITE) && !t.scopes().contains(Scope.DELETE)) {
                notes.add("token '" + t.subject() + "' has backups:write but not backups:delete: it may take and"
                        + " copy backups but not delete or prune them (add backups:delete to its scopes to allow"
                        + " that)");
            }
        }
        return notes;
    }

    private static HttpLimits limits(JsonNode mcp, List<String> problems) {
        HttpLimits defaults = HttpLimits.defaults();
        int total = count(mcp, "max_sessions", defaults.maxSessions(), problems);
        int perToken = count(mcp, "max_sessions_per_token", defaults.maxSessionsPerToken(), problems);
        if (perToken > total) {
            problems.add("mcp.max_sessions_per_token: " + perToken + " is more than mcp.max_sessions (" + total + ")");
        }
        Duration idle = defaults.sessionIdleTimeout();
        JsonNode t = mcp.get("session_idle_timeout");
        if (t != null && !t.isNull()) {
            Duration d = t.isString() ? Durations.parse(t.asString()) : null;
            if (d == null || d.compareTo(Duration.ofSeconds(10)) < 0 || d.compareTo(Duration.ofHours(24)) > 0) {
                problems.add("mcp.session_idle_timeout: '" + t.asString()
                        + "' is not a duration between 10s and 24h (e.g. 30m, 90s)");
            } else {
                idle = d;
            }
        }
        return defaults.withSessions(Math.max(total, 1), Math.max(Math.min(perToken, total), 1), idle);
    }

    private static int count(JsonNode mcp, String key, int fallback, List<String> problems) {
        JsonNode n = mcp.get(key);
        if (n == null || n.isNull()) {
            return fallback;
        }
        if (!n.isIntegralNumber() || !n.canConvertToInt() || n.asInt() < 1 || n.asInt() > MAX_SESSIONS_CEILING) {
            problems.add("mcp." + key + ": '" + n.asString() + "' is not a number from 1 to " + MAX_SESSIONS_CEILING);
            return fallback;
        }
        return n.asInt();
    }

    private static void token(JsonNode entry, String at, List<String> problems, List<TokenEntry> out) {
        if (!entry.isObject()) {
            problems.add(at + ": must be a mapping with subject, sha256 and scopes");
            return;
        }
        int before = problems.size();
        for (Map.Entry<String, JsonNode> e : entry.properties()) {
            if (e.getKey().equals("token") || e.getKey().equals("value")) {
                problems.add(at + "." + e.getKey() + ": tokens are stored as hashes only; put the SHA-256 in "
                        + "'sha256' ('lifeboat-mcp hash-token' makes a token and its hash)");
            } else if (!TOKEN_KEYS.contains(e.getKey())) {
                problems.add(at + "." + e.getKey() + ": unknown setting (known: "
                        + String.join(", ", new TreeSet<>(TOKEN_KEYS)) + ")");
            }
        }
        String subject = text(entry.get("subject"));
        if (subject == null || !SUBJECT.matcher(subject).matches()) {
            problems.add(at
                    + ".subject: required, 1-64 letters, digits or . _ @ : - (it names the caller in the audit log)");
        }
        String hash = text(entry.get("sha256"));
        if (hash != null) {
            hash = hash.toLowerCase(Locale.ROOT);
            if (hash.startsWith("sha256:")) {
                hash = hash.substring("sha256:".length());
            }
        }
        if (hash == null || !HEX64.matcher(hash).matches()) {
            problems.add(at + ".sha256: required, the 64 hex digits of the token's SHA-256");
        }
        Set<Scope> scopes = EnumSet.noneOf(Scope.class);
        JsonNode s = entry.get("scopes");
        if (s == null || !s.isArray() || s.isEmpty()) {
            problems.add(at + ".scopes: required, a list of " + SCOPE_NAMES);
        } else {
            for (JsonNode n : s) {
                Scope scope = n.isString() ? Scope.parse(n.asString()) : null;
                if (scope == null) {
                    problems.add(at + ".scopes: '" + n.asString() + "' is not a scope (use " + SCOPE_NAMES + ")");
                } else {
                    scopes.add(scope);
                }
            }
        }
        if (problems.size() == before) {
            out.add(new TokenEntry(subject, hash, scopes));
        }
    }

    private static List<String> stringList(JsonNode node, String key, List<String> problems) {
        JsonNode v = node.get(key);
        List<String> out = new ArrayList<>();
        if (v == null || v.isNull()) {
            return out;
        }
        if (!v.isArray()) {
            problems.add("mcp." + key + ": must be a list");
            return out;
        }
        for (JsonNode n : v) {
            String s = text(n);
            if (s == null) {
                problems.add("mcp." + key + ": entries must be non-empty strings");
            } else {
                out.add(s);
            }
        }
        return out;
    }

    private static String text(JsonNode n) {
        if (n == null || n.isNull() || n.isContainer()) {
            return null;
        }
        String s = n.asString().trim();
        return s.isEmpty() ? null : s;
    }

    private static LifeboatException invalid(Path file, List<String> problems) {
        String where = file == null ? "configuration" : "config file " + file;
        return new LifeboatException(
                ErrorCode.CONFIG_INVALID,
                where + " has " + problems.size() + (problems.size() == 1 ? " problem" : " problems")
                        + " in its mcp section:\n  - " + String.join("\n  - ", problems),
                "fix the settings named above (see docs/mcp.md)");
    }
}

package dev.lifeboat.core.audit;

import dev.lifeboat.core.base.Json;
import dev.lifeboat.core.base.LifeboatException;
import dev.lifeboat.core.base.OperationContext;
import dev.lifeboat.core.base.Redactor;
import dev.lifeboat.core.base.StaleFiles;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * Append-only JSON lines, one per create, verify, restore and delete: time, transport, subject,
 * operation, backup, database, bytes, outcome. Redacted like everything else. A line is one
 * O_APPEND write, so concurrent processes do not interleave.
 *
 * <p>A long or destructive operation writes two lines: {@code "outcome":"started"} before it touches
 * anything, and its outcome when it ends. Both carry the operation's start {@code time} and the
 * writing process's {@code pid}, which pair them. A run killed with SIGKILL (or lost with its host)
 * leaves the first line alone: {@link #unfinished} finds those whose process is gone, so a restore
 * that died half-way is visible rather than silent.
 *
 * <p>Each line carries {@code "chain"}, a MAC over the line and the line before it ({@link
 * AuditChain}), so an edited, inserted or removed line is found by {@link #verify} ({@code lifeboat
 * audit verify}). The readers here ignore the field.
 */
public final class AuditLog {
    private static final Logger LOG = LoggerFactory.getLogger(AuditLog.class);
    /** The outcome of a line written before the work begins. */
    public static final String STARTED = "started";
    /** The outcome {@code gc} writes for a run whose process died without writing one. */
    public static final String ABANDONED = "abandoned";

    private final Path file;
    private final AuditChain chain;

    public AuditLog(Path file) {
        this.file = file;
        this.chain = new AuditChain(file, file.resolveSibling(AuditChain.KEY_FILE));
    }

    public Path file() {
        return file;
    }

    /** An audit entry. Null fields are left out. */
    public record Entry(
            Instant time,
            String transport,
            String subject,
            String operation,
            String backupId,
            String database,
            String store,
            String target,
            Long bytes,
            String outcome,
            String errorCode,
            String detail) {

        /**
         * The start of an entry for {@code operation} run by {@code context}'s caller at {@code time};
         * the use case fills in what it learns, then writes it with {@link #ok}, {@link #error} or
         * {@link #failed}.
         */
        public static Entry start(Instant time, OperationContext context, String operation) {
            return new Entry(
                    time,
                    context.transport(),
                    context.subject(),
                    operation,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null);
        }

        /** The same entry about another backup, source and store. */
        public Entry about(String backupId, String database, String store) {
            return with(operation, backupId, database, store, target, bytes, outcome, errorCode, detail);
        }

        public Entry operation(String op) {
            return with(op, backupId, database, store, target, bytes, outcome, errorCode, detail);
        }

        public Entry target(String t) {
            return with(operation, backupId, database, store, t, bytes, outcome, errorCode, detail);
        }

        public Entry bytes(Long n) {
            return with(operation, backupId, database, store, target, n, outcome, errorCode, detail);
        }

        /** The line written before the work begins; its outcome line follows when the work ends. */
        public Entry started() {
            return with(operation, backupId, database, store, target, bytes, STARTED, null, null);
        }

        /** The entry of a success; {@code bytes} null keeps what the entry had. */
        public Entry ok(Long n, String what) {
            return outcome("ok", null, n, what);
        }

        /** The entry of a failure: its code and (redacted when written) message. */
        public Entry error(LifeboatException e) {
            return outcome("error", e, null, e.getMessage());
        }

        /** The entry of an outcome that is neither ok nor an exception (a verification that failed). */
        public Entry failed(String outcomeName, String code, String what) {
            return with(operation, backupId, database, store, target, bytes, outcomeName, code, what);
        }

        private Entry outcome(String outcomeName, LifeboatException e, Long n, String what) {
            String code = e == null ? null : e.code().name();
            return with(operation, backupId, database, store, target, n != null ? n : bytes, outcomeName, code, what);
        }

        /** A copy by the same caller at the same time, with the other fields given. */
        private Entry with(
                String op,
                String backup,
                String source,
                String inStore,
                String t,
                Long n,
                String outcomeName,
                String code,
                String what) {
            return new Entry(time, transport, subject, op, backup, source, inStore, t, n, outcomeName, code, what);
        }
    }

    public void write(Entry entry) {
        write(entry, ProcessHandle.current().pid());
    }

    /**
     * Closes a run that {@link #unfinished} found: its outcome line, in its own time and pid so it
     * pairs with the "started" line, saying it was abandoned, by whom it was found and what was done.
     */
    public void abandoned(Unfinished run, OperationContext by, String detail) {
        write(
                run.started()
                        .failed(
                                ABANDONED,
                                null,
                                detail + " (found by " + by.subject() + " over " + by.transport() + ")"),
                run.pid());
    }

    private void write(Entry entry, long pid) {
        // written by the JSON generator, not the object mapper: a command that writes one audit line
        // should not build the mapper for it (~0.1 s of CPU at start-up)
        java.io.StringWriter out = new java.io.StringWriter(256);
        try (tools.jackson.core.JsonGenerator g =
                GENERATORS.createGenerator(tools.jackson.core.ObjectWriteContext.empty(), out)) {
            g.writeStartObject();
            g.writeStringProperty("time", entry.time().toString());
            g.writeNumberProperty("pid", pid);
            put(g, "transport", entry.transport());
            put(g, "subject", entry.subject());
            put(g, "operation", entry.operation());
            put(g, "backup_id", entry.backupId());
            put(g, "database", entry.database());
            put(g, "store", entry.store());
            put(g, "target", entry.target());
            if (entry.bytes() != null) {
                g.writeNumberProperty("bytes", entry.bytes());
            }
            put(g, "outcome", entry.outcome());
            put(g, "error_code", entry.errorCode());
            put(g, "detail", entry.detail() == null ? null : Redactor.global().redact(entry.detail()));
            g.writeEndObject();
        }
        String json = Redactor.global().redact(out.toString());
        try {
            chain.append(json);
        } catch (IOException | RuntimeException e) {
            // the operation itself succeeded or failed on its own; a lost audit line is logged, not fatal
            LOG.warn("cannot append to audit log {}: {}", file, e.getMessage());
        }
    }

    /**
     * Checks the log's hash chain from its first line: the first line that was changed, inserted or
     * removed, or the first unchained line after chained ones. Lines written before the chain existed
     * (unchained, at the start) are accepted as a legacy prefix, which the first chained line seals.
     */
    public AuditReport verify() throws IOException {
        return chain.verify();
    }

    /**
     * A run whose "started" line has no outcome line and whose process is gone: it was killed (or its
     * host went down) part-way.
     *
     * @param pid the process that wrote the line
     * @param started the line, as written (its outcome {@code "started"})
     */
    public record Unfinished(long pid, Entry started) {
        public Instant time() {
            return started.time();
        }
    }

    /**
     * The runs in the log that started and never finished, oldest first. Lines that do not parse
     * (a torn last line, hand edits) are skipped; a missing log has none.
     */
    public List<Unfinished> unfinished() {
        Map<String, Unfinished> open = new LinkedHashMap<>();
        // a line without a pid was written before runs were paired, or is not ours
        eachLine("pid", line -> {
            String key = line.get("time").asString() + "/" + line.get("pid").asString();
            if (STARTED.equals(text(line, "outcome"))) {
                try {
                    open.put(
                            key,
                            new Unfinished(
                                    line.get("pid").asLong(),
                                    new Entry(
                                            Instant.parse(line.get("time").asString()),
                                            text(line, "transport"),
                                            text(line, "subject"),
                                            text(line, "operation"),
                                            text(line, "backup_id"),
                                            text(line, "database"),
                                            text(line, "store"),
                                            text(line, "target"),
                                            null,
                                            STARTED,
                                            null,
                                            null)));
                } catch (java.time.format.DateTimeParseException e) {
                    // a hand-edited time: not a run we can pair
                }
            } else {
                open.remove(key);
            }
        });
        Instant now = Instant.now();
        List<Unfinished> out = new ArrayList<>();
        for (Unfinished u : open.values()) {
            // a run still going in another process (or this one) is not unfinished
            if (StaleFiles.writerGone(u.pid(), u.time(), now)) {
                out.add(u);
            }
        }
        return out;
    }

    /**
     * The outcome line of one run: what {@code lifeboat status} reads to learn of failures that left
     * nothing in a store.
     *
     * @param outcome "ok", "error", {@link #ABANDONED}, or a use case's own (a failed verification)
     * @param errorCode the failure's code, or null
     * @param detail what the line says (already redacted when it was written), or null
     */
    public record Finished(
            Instant time,
            String operation,
            String backupId,
            String database,
            String store,
            Long bytes,
            String outcome,
            String errorCode,
            String detail) {}

    /**
     * Hands every outcome line of the log (not the "started" ones) to {@code each}, oldest first, one
     * at a time so a long log costs no memory. Lines that do not parse are skipped; a missing log has
     * none; a log that cannot be read is logged and read as far as it could be.
     */
    public void finished(java.util.function.Consumer<Finished> each) {
        eachLine("outcome", line -> {
            String outcome = text(line, "outcome");
            if (STARTED.equals(outcome)) {
                return;
            }
            Instant time;
            try {
                time = Instant.parse(line.get("time").asString());
            } catch (java.time.format.DateTimeParseException e) {
                return; // a hand-edited time says nothing about when
            }
            JsonNode bytes = line.get("bytes");
            each.accept(new Finished(
                    time,
                    text(line, "operation"),
                    text(line, "backup_id"),
                    text(line, "database"),
                    text(line, "store"),
                    bytes == null || !bytes.isIntegralNumber() ? null : bytes.asLong(),
                    outcome,
                    text(line, "error_code"),
                    text(line, "detail")));
        });
    }

    /**
     * Hands each line of the log that parses as an object with a {@code time} and a {@code required}
     * field to {@code each}, oldest first and one at a time. Torn or hand-edited lines are skipped; a
     * missing log has none; a log that cannot be read is logged and read as far as it could be.
     */
    private void eachLine(String required, java.util.function.Consumer<JsonNode> each) {
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            for (String text; (text = in.readLine()) != null; ) {
                JsonNode line;
                try {
                    line = Json.mapper().readTree(text);
                } catch (RuntimeException e) {
                    continue;
                }
                if (line != null && line.isObject() && line.hasNonNull("time") && line.hasNonNull(required)) {
                    each.accept(line);
                }
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            LOG.warn("cannot read audit log {}: {}", file, e.getMessage());
        }
    }

    private static String text(JsonNode line, String field) {
        JsonNode v = line.get(field);
        return v == null || v.isNull() ? null : v.asString();
    }

    private static final tools.jackson.core.json.JsonFactory GENERATORS = new tools.jackson.core.json.JsonFactory();

    private static void put(tools.jackson.core.JsonGenerator g, String k, String v) {
        if (v != null) {
            g.writeStringProperty(k, v);
        }
    }
}

package dev.lifeboat.core.audit;

import dev.lifeboat.core.base.Json;
import dev.lifeboat.core.base.Redactor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Append-only JSON lines, one per create, verify, restore and delete: time, transport, subject,
 * operation, backup, database, bytes, outcome. Redacted like everything else. A line is one
 * O_APPEND write, so concurrent processes do not interleave.
 */
public final class AuditLog {
    private static final Logger LOG = LoggerFactory.getLogger(AuditLog.class);

    private final Path file;

    public AuditLog(Path file) {
        this.file = file;
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
            String detail) {}

    public void write(Entry entry) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("time", entry.time().toString());
        put(line, "transport", entry.transport());
        put(line, "subject", entry.subject());
        put(line, "operation", entry.operation());
        put(line, "backup_id", entry.backupId());
        put(line, "database", entry.database());
        put(line, "store", entry.store());
        put(line, "target", entry.target());
        put(line, "bytes", entry.bytes());
        put(line, "outcome", entry.outcome());
        put(line, "error_code", entry.errorCode());
        put(line, "detail", entry.detail() == null ? null : Redactor.global().redact(entry.detail()));
        String json = Redactor.global().redact(Json.mapper().writeValueAsString(line)) + "\n";
        try {
            Files.createDirectories(
                    file.getParent(),
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            try (FileChannel ch = FileChannel.open(
                    file,
                    // a link planted at the log's name must not carry audit lines into another file
                    Set.of(
                            StandardOpenOption.CREATE,
                            StandardOpenOption.WRITE,
                            StandardOpenOption.APPEND,
                            LinkOption.NOFOLLOW_LINKS),
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))) {
                ch.write(ByteBuffer.wrap(json.getBytes(StandardCharsets.UTF_8)));
            }
        } catch (IOException e) {
            // the operation itself succeeded or failed on its own; a lost audit line is logged, not fatal
            LOG.warn("cannot append to audit log {}: {}", file, e.getMessage());
        }
    }

    private static void put(Map<String, Object> m, String k, Object v) {
        if (v != null) {
            m.put(k, v);
        }
    }
}

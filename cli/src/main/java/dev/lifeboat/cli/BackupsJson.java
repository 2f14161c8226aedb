package dev.lifeboat.cli;

import dev.lifeboat.core.base.Redactor;
import dev.lifeboat.core.catalog.BackupRecord;
import dev.lifeboat.core.catalog.Manifest;
import dev.lifeboat.core.engine.ServerInfo;
import dev.lifeboat.core.engine.TableSummary;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * {@code backup list --json} without Jackson: the document {@link Output#resultList} writes for a list
 * of {@link BackupRecord}s, byte for byte (snake_case names in record order, nulls left out, Jackson's
 * default pretty printer and string escapes), at a fraction of the cost for 10,000 backups. {@code
 * BackupsJsonTest} compares the two on manifests with every field set (by reflection, so a new field
 * that is not written here fails it) and on redacted ones.
 *
 * <p>What it does not do is run the redactor over every character: only an item with a string that
 * the redactor could change (a registered secret, a shape's trigger word, non-ASCII text) is redacted,
 * whole, as before. Numbers, times, field names and the indentation hold no secret, and no trigger
 * can span from a string into them.
 */
final class BackupsJson {
    private final StringBuilder b = new StringBuilder(4096);
    private final Redactor redactor;
    /** Enclosing objects: the indentation is two spaces each. */
    private int depth;
    /** Whether the object being written has no field yet. */
    private boolean empty;
    /** Whether a string in the current item could be changed by the redactor. */
    private boolean redact;

    private BackupsJson(Redactor redactor) {
        this.redactor = redactor;
    }

    /** Writes {@code {"<field>" : [items], "<extraField>" : extra}} (the extra field when not null) and a newline. */
    static void write(PrintWriter out, String field, List<BackupRecord> items, String extraField, Integer extra) {
        BackupsJson w = new BackupsJson(Redactor.global());
        out.write(w.redactor.redact("{\n  \"" + field + "\" : ["));
        boolean first = true;
        for (BackupRecord r : items) {
            w.b.setLength(0);
            w.redact = false;
            w.b.append(first ? " " : ", ");
            first = false;
            w.depth = 1;
            w.record(r);
            String chunk = w.b.toString();
            out.write(w.redact ? w.redactor.redact(chunk) : chunk);
        }
        String end =
                " ]" + (extraField != null && extra != null ? ",\n  \"" + extraField + "\" : " + extra : "") + "\n}";
        out.write(w.redactor.redact(end));
        out.println();
        out.flush();
    }

    /**
     * One backup as the whole document, as {@link Json#write} writes it (not redacted: {@link Output}
     * redacts what it prints): {@code backup create --json} needs no object mapper either.
     */
    static String one(BackupRecord r) {
        BackupsJson w = new BackupsJson(Redactor.global());
        w.record(r);
        return w.b.toString();
    }

    private void record(BackupRecord r) {
        open();
        string("store", r.store());
        Manifest m = r.manifest();
        if (m != null) {
            name("manifest");
            manifest(m);
        }
        close();
    }

    private void manifest(Manifest m) {
        open();
        number("format_version", m.formatVersion());
        string("id", m.id());
        string("database", m.database());
        string("kind", m.kind());
        ServerInfo s = m.server();
        if (s != null) {
            name("server");
            open();
            string("host", s.host());
            number("port", s.port());
            string("dbname", s.dbname());
            string("user", s.user());
            string("version", s.version());
            number("major_version", s.majorVersion());
            close();
        }
        string("dump_tool", m.dumpTool());
        string("format", m.format());
        string("compression", m.compression());
        number("size_bytes", m.sizeBytes());
        string("sha256", m.sha256());
        instant("created_at", m.createdAt());
        instant("finished_at", m.finishedAt());
        number("duration_millis", m.durationMillis());
        string("label", m.label());
        name("tags");
        open();
        for (Map.Entry<String, String> t : m.tags().entrySet()) {
            key(t.getKey());
            value(t.getValue());
        }
        close();
        string("tool_version", m.toolVersion());
        string("row_counts", m.rowCounts());
        name("tables");
        b.append('[');
        boolean first = true;
        for (TableSummary t : m.tables()) {
            b.append(first ? " " : ", ");
            first = false;
            open();
            string("schema", t.schema());
            string("name", t.name());
            number("rows", t.rows());
            name("exact");
            b.append(t.exact());
            close();
        }
        b.append(" ]");
        if (m.encryption() != null) {
            name("encryption");
            open();
            string("format", m.encryption().format());
            strings("recipients", m.encryption().recipients());
            close();
        }
        Manifest.DirectoryContents d = m.directory();
        if (d != null) {
            name("directory");
            open();
            string("path", d.path());
            number("entries", d.entries());
            number("files", d.files());
            number("directories", d.directories());
            number("symlinks", d.symlinks());
            number("file_bytes", d.fileBytes());
            number("skipped", d.skipped());
            number("changed", d.changed());
            strings("excludes", d.excludes());
            number("excluded", d.excluded());
            close();
        }
        if (m.set() != null) {
            name("set");
            open();
            string("name", m.set().name());
            string("run", m.set().run());
            close();
        }
        if (m.roles() != null) {
            name("roles");
            open();
            number("size_bytes", m.roles().sizeBytes());
            string("sha256", m.roles().sha256());
            strings("names", m.roles().names());
            close();
        }
        close();
    }

    private void open() {
        b.append('{');
        depth++;
        empty = true;
    }

    private void close() {
        depth--;
        if (empty) {
            b.append(" }");
        } else {
            newline();
            b.append('}');
        }
        empty = false;
    }

    private void newline() {
        b.append('\n');
        for (int i = 0; i < depth; i++) {
            b.append("  ");
        }
    }

    /** A record field's name: one of the names above, which holds nothing to redact. */
    private void name(String name) {
        separate();
        b.append('"').append(name).append("\" : ");
    }

    /** A map key: a string the redactor must see. */
    private void key(String key) {
        separate();
        value(key);
        b.append(" : ");
    }

    private void separate() {
        if (!empty) {
            b.append(',');
        }
        empty = false;
        newline();
    }

    private void string(String name, String value) {
        if (value != null) {
            name(name);
            value(value);
        }
    }

    private void number(String name, long value) {
        name(name);
        b.append(value);
    }

    private void instant(String name, Instant value) {
        if (value != null) {
            name(name);
            // what Jackson writes for an Instant: ISO-8601 in UTC, the fraction in groups of three digits
            b.append('"').append(value).append('"');
        }
    }

    private void strings(String name, List<String> values) {
        name(name);
        b.append('[');
        boolean first = true;
        for (String v : values) {
            b.append(first ? " " : ", ");
            first = false;
            value(v);
        }
        b.append(" ]");
    }

    /** A JSON string with Jackson's escapes; marks the item for the redactor when it could change it. */
    private void value(String s) {
        if (s == null) {
            b.append("null");
            return;
        }
        b.append('"');
        int start = b.length();
        boolean escaped = false;
        for (int i = 0, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c != '"' && c != '\\') {
                b.append(c);
                continue;
            }
            escaped = true;
            b.append('\\');
            switch (c) {
                case '"' -> b.append('"');
                case '\\' -> b.append('\\');
                case '\n' -> b.append('n');
                case '\t' -> b.append('t');
                case '\r' -> b.append('r');
                case '\b' -> b.append('b');
                case '\f' -> b.append('f');
                default ->
                    b.append("u00")
                            .append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                            .append(Character.toUpperCase(Character.forDigit(c & 0xF, 16)));
            }
        }
        // the redactor sees the text as printed, escapes included (as it did the whole document)
        if (!redact && redactor.mayChange(escaped ? b.substring(start) : s)) {
            redact = true;
        }
        b.append('"');
    }
}

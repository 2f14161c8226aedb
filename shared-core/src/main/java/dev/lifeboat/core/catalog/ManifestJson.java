package dev.lifeboat.core.catalog;

import dev.lifeboat.core.engine.ServerInfo;
import dev.lifeboat.core.engine.TableSummary;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.PrettyPrinter;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.core.util.DefaultPrettyPrinter;

/**
 * {@code manifest.json} read from the JSON parser's tokens, without the object mapper: verify, restore,
 * drill and copy read one manifest at start-up, and building the mapper with the manifest's
 * deserializer cost them ~0.1 s of CPU before the first byte was checked. Only the shape Lifeboat
 * writes takes this path: one object, known fields (unknown ones are skipped, as the mapper skips
 * them) holding non-null values of exactly their JSON type, each field once, ISO-8601 times and nothing
 * after the object. Anything else (a null, a number in quotes, a float, a repeated field, a time with
 * another spelling, a syntax error) answers null, and the caller reads the bytes with the mapper, so
 * every unusual manifest gets the mapper's value or the mapper's error, as before
 * ({@code ManifestJsonTest} compares both on every shape). It is also written by the generator,
 * byte for byte as the mapper's pretty printer wrote it (a backup's commit should not build the mapper
 * either).
 */
final class ManifestJson {
    private static final JsonFactory FACTORY = new JsonFactory();

    /** Jackson's default pretty printer, as {@code writerWithDefaultPrettyPrinter()} has it. */
    private static final ObjectWriteContext PRETTY = new ObjectWriteContext.Base() {
        @Override
        public PrettyPrinter getPrettyPrinter() {
            return new DefaultPrettyPrinter();
        }

        @Override
        public boolean hasPrettyPrinter() {
            return true;
        }
    };

    private ManifestJson() {}

    /**
     * {@code m} as {@code manifest.json}: the bytes the mapper's pretty printer writes (snake_case names in
     * record order, nulls left out, times as {@link Instant#toString}).
     */
    static byte[] write(Manifest m) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(2048);
        try (JsonGenerator g = FACTORY.createGenerator(PRETTY, out)) {
            g.writeStartObject();
            g.writeNumberProperty("format_version", m.formatVersion());
            string(g, "id", m.id());
            string(g, "database", m.database());
            string(g, "kind", m.kind());
            if (m.server() != null) {
                ServerInfo s = m.server();
                g.writeName("server");
                g.writeStartObject();
                string(g, "host", s.host());
                g.writeNumberProperty("port", s.port());
                string(g, "dbname", s.dbname());
                string(g, "user", s.user());
                string(g, "version", s.version());
                g.writeNumberProperty("major_version", s.majorVersion());
                g.writeEndObject();
            }
            string(g, "dump_tool", m.dumpTool());
            string(g, "format", m.format());
            string(g, "compression", m.compression());
            g.writeNumberProperty("size_bytes", m.sizeBytes());
            string(g, "sha256", m.sha256());
            string(g, "created_at", m.createdAt() == null ? null : m.createdAt().toString());
            string(
                    g,
                    "finished_at",
                    m.finishedAt() == null ? null : m.finishedAt().toString());
            g.writeNumberProperty("duration_millis", m.durationMillis());
            string(g, "label", m.label());
            g.writeName("tags");
            g.writeStartObject();
            for (Map.Entry<String, String> t : m.tags().entrySet()) {
                g.writeStringProperty(t.getKey(), t.getValue());
            }
            g.writeEndObject();
            string(g, "tool_version", m.toolVersion());
            string(g, "row_counts", m.rowCounts());
            g.writeName("tables");
            g.writeStartArray();
            for (TableSummary t : m.tables()) {
                g.writeStartObject();
                string(g, "schema", t.schema());
                string(g, "name", t.name());
                g.writeNumberProperty("rows", t.rows());
                g.writeBooleanProperty("exact", t.exact());
                g.writeEndObject();
            }
            g.writeEndArray();
            if (m.encryption() != null) {
                g.writeName("encryption");
                g.writeStartObject();
                string(g, "format", m.encryption().format());
                strings(g, "recipients", m.encryption().recipients());
                g.writeEndObject();
            }
            if (m.directory() != null) {
                Manifest.DirectoryContents d = m.directory();
                g.writeName("directory");
                g.writeStartObject();
                string(g, "path", d.path());
                g.writeNumberProperty("entries", d.entries());
                g.writeNumberProperty("files", d.files());
                g.writeNumberProperty("directories", d.directories());
                g.writeNumberProperty("symlinks", d.symlinks());
                g.writeNumberProperty("file_bytes", d.fileBytes());
                g.writeNumberProperty("skipped", d.skipped());
                g.writeNumberProperty("changed", d.changed());
                strings(g, "excludes", d.excludes());
                g.writeNumberProperty("excluded", d.excluded());
                g.writeEndObject();
            }
            if (m.set() != null) {
                g.writeName("set");
                g.writeStartObject();
                string(g, "name", m.set().name());
                string(g, "run", m.set().run());
                g.writeEndObject();
            }
            if (m.roles() != null) {
                g.writeName("roles");
                g.writeStartObject();
                g.writeNumberProperty("size_bytes", m.roles().sizeBytes());
                string(g, "sha256", m.roles().sha256());
                strings(g, "names", m.roles().names());
                g.writeEndObject();
            }
            g.writeEndObject();
        }
        return out.toByteArray();
    }

    private static void string(JsonGenerator g, String name, String value) {
        if (value != null) {
            g.writeStringProperty(name, value);
        }
    }

    private static void strings(JsonGenerator g, String name, List<String> values) {
        g.writeName(name);
        g.writeStartArray();
        for (String v : values) {
            g.writeString(v);
        }
        g.writeEndArray();
    }

    /** Thrown inside the reader when the input leaves the plain shape: the mapper reads it instead. */
    private static final class Unusual extends RuntimeException {
        private static final Unusual INSTANCE = new Unusual();

        private Unusual() {
            super(null, null, false, false);
        }
    }

    /** The manifest in {@code bytes}, or null when it is not in the plain shape (read it with the mapper). */
    static Manifest read(byte[] bytes) {
        try (JsonParser p = FACTORY.createParser(ObjectReadContext.empty(), bytes)) {
            expect(p.nextToken(), JsonToken.START_OBJECT);
            Manifest m = manifest(p);
            return p.nextToken() == null ? m : null;
        } catch (RuntimeException e) { // Unusual, the parser's JacksonException, a time Instant cannot parse
            return null;
        }
    }

    private static Manifest manifest(JsonParser p) {
        Manifest.Builder m = Manifest.builder();
        Fields seen = new Fields();
        for (String name; (name = p.nextName()) != null; ) {
            JsonToken t = p.nextToken();
            switch (seen.once(name)) {
                case "format_version" -> m.formatVersion(integer(p, t));
                case "id" -> m.id(string(p, t));
                case "database" -> m.database(string(p, t));
                case "kind" -> m.kind(string(p, t));
                case "server" -> m.server(server(p, t));
                case "dump_tool" -> m.dumpTool(string(p, t));
                case "format" -> m.format(string(p, t));
                case "compression" -> m.compression(string(p, t));
                case "size_bytes" -> m.sizeBytes(number(p, t));
                case "sha256" -> m.sha256(string(p, t));
                case "created_at" -> m.createdAt(Instant.parse(string(p, t)));
                case "finished_at" -> m.finishedAt(Instant.parse(string(p, t)));
                case "duration_millis" -> m.durationMillis(number(p, t));
                case "label" -> m.label(string(p, t));
                case "tags" -> m.tags(tags(p, t));
                case "tool_version" -> m.toolVersion(string(p, t));
                case "row_counts" -> m.rowCounts(string(p, t));
                case "tables" -> m.tables(tables(p, t));
                case "encryption" -> m.encryption(encryption(p, t));
                case "directory" -> m.directory(directory(p, t));
                case "set" -> m.set(set(p, t));
                case "roles" -> m.roles(roles(p, t));
                default -> skip(p, t);
            }
        }
        return m.build();
    }

    private static ServerInfo server(JsonParser p, JsonToken t) {
        expect(t, JsonToken.START_OBJECT);
        String host = null, dbname = null, user = null, version = null;
        int port = 0, majorVersion = 0;
        Fields seen = new Fields();
        for (String name; (name = p.nextName()) != null; ) {
            JsonToken v = p.nextToken();
            switch (seen.once(name)) {
                case "host" -> host = string(p, v);
                case "port" -> port = integer(p, v);
                case "dbname" -> dbname = string(p, v);
                case "user" -> user = string(p, v);
                case "version" -> version = string(p, v);
                case "major_version" -> majorVersion = integer(p, v);
                default -> skip(p, v);
            }
        }
        return new ServerInfo(host, port, dbname, user, version, majorVersion);
    }

    private static List<TableSummary> tables(JsonParser p, JsonToken t) {
        expect(t, JsonToken.START_ARRAY);
        List<TableSummary> out = new ArrayList<>();
        for (JsonToken e; (e = p.nextToken()) != JsonToken.END_ARRAY; ) {
            expect(e, JsonToken.START_OBJECT);
            String schema = null, name = null;
            long rows = 0;
            boolean exact = false;
            Fields seen = new Fields();
            for (String field; (field = p.nextName()) != null; ) {
                JsonToken v = p.nextToken();
                switch (seen.once(field)) {
                    case "schema" -> schema = string(p, v);
                    case "name" -> name = string(p, v);
                    case "rows" -> rows = number(p, v);
                    case "exact" -> exact = bool(v);
                    default -> skip(p, v);
                }
            }
            out.add(new TableSummary(schema, name, rows, exact));
        }
        return out;
    }

    private static Manifest.Encryption encryption(JsonParser p, JsonToken t) {
        expect(t, JsonToken.START_OBJECT);
        String format = null;
        List<String> recipients = null;
        Fields seen = new Fields();
        for (String name; (name = p.nextName()) != null; ) {
            JsonToken v = p.nextToken();
            switch (seen.once(name)) {
                case "format" -> format = string(p, v);
                case "recipients" -> recipients = strings(p, v);
                default -> skip(p, v);
            }
        }
        if (recipients == null) {
            throw Unusual.INSTANCE; // the record refuses a missing list: the mapper's error says so
        }
        return new Manifest.Encryption(format, recipients);
    }

    private static Manifest.DirectoryContents directory(JsonParser p, JsonToken t) {
        expect(t, JsonToken.START_OBJECT);
        String path = null;
        long entries = 0, files = 0, directories = 0, symlinks = 0, fileBytes = 0, skipped = 0, changed = 0;
        long excluded = 0;
        List<String> excludes = null;
        Fields seen = new Fields();
        for (String name; (name = p.nextName()) != null; ) {
            JsonToken v = p.nextToken();
            switch (seen.once(name)) {
                case "path" -> path = string(p, v);
                case "entries" -> entries = number(p, v);
                case "files" -> files = number(p, v);
                case "directories" -> directories = number(p, v);
                case "symlinks" -> symlinks = number(p, v);
                case "file_bytes" -> fileBytes = number(p, v);
                case "skipped" -> skipped = number(p, v);
                case "changed" -> changed = number(p, v);
                case "excludes" -> excludes = strings(p, v);
                case "excluded" -> excluded = number(p, v);
                default -> skip(p, v);
            }
        }
        return new Manifest.DirectoryContents(
                path, entries, files, directories, symlinks, fileBytes, skipped, changed, excludes, excluded);
    }

    private static Manifest.SetRun set(JsonParser p, JsonToken t) {
        expect(t, JsonToken.START_OBJECT);
        String name = null, run = null;
        Fields seen = new Fields();
        for (String field; (field = p.nextName()) != null; ) {
            JsonToken v = p.nextToken();
            switch (seen.once(field)) {
                case "name" -> name = string(p, v);
                case "run" -> run = string(p, v);
                default -> skip(p, v);
            }
        }
        return new Manifest.SetRun(name, run);
    }

    private static Manifest.Roles roles(JsonParser p, JsonToken t) {
        expect(t, JsonToken.START_OBJECT);
        long sizeBytes = 0;
        String sha256 = null;
        List<String> names = null;
        Fields seen = new Fields();
        for (String field; (field = p.nextName()) != null; ) {
            JsonToken v = p.nextToken();
            switch (seen.once(field)) {
                case "size_bytes" -> sizeBytes = number(p, v);
                case "sha256" -> sha256 = string(p, v);
                case "names" -> names = strings(p, v);
                default -> skip(p, v);
            }
        }
        return new Manifest.Roles(sizeBytes, sha256, names);
    }

    private static Map<String, String> tags(JsonParser p, JsonToken t) {
        expect(t, JsonToken.START_OBJECT);
        Map<String, String> out = new LinkedHashMap<>();
        for (String key; (key = p.nextName()) != null; ) {
            if (out.put(key, string(p, p.nextToken())) != null) {
                throw Unusual.INSTANCE;
            }
        }
        return out;
    }

    private static List<String> strings(JsonParser p, JsonToken t) {
        expect(t, JsonToken.START_ARRAY);
        List<String> out = new ArrayList<>();
        for (JsonToken e; (e = p.nextToken()) != JsonToken.END_ARRAY; ) {
            out.add(string(p, e));
        }
        return out;
    }

    private static String string(JsonParser p, JsonToken t) {
        expect(t, JsonToken.VALUE_STRING);
        return p.getString();
    }

    private static long number(JsonParser p, JsonToken t) {
        expect(t, JsonToken.VALUE_NUMBER_INT);
        JsonParser.NumberType type = p.getNumberType();
        if (type != JsonParser.NumberType.INT && type != JsonParser.NumberType.LONG) {
            throw Unusual.INSTANCE;
        }
        return p.getLongValue();
    }

    private static int integer(JsonParser p, JsonToken t) {
        expect(t, JsonToken.VALUE_NUMBER_INT);
        if (p.getNumberType() != JsonParser.NumberType.INT) {
            throw Unusual.INSTANCE;
        }
        return p.getIntValue();
    }

    private static boolean bool(JsonToken t) {
        if (t == JsonToken.VALUE_TRUE) {
            return true;
        }
        expect(t, JsonToken.VALUE_FALSE);
        return false;
    }

    /** A field this version does not know: skipped whole, as the mapper skips it. */
    private static void skip(JsonParser p, JsonToken t) {
        if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
            p.skipChildren();
        }
    }

    private static void expect(JsonToken actual, JsonToken expected) {
        if (actual != expected) {
            throw Unusual.INSTANCE;
        }
    }

    /** The names one object has had: a repeated one is the mapper's to settle. */
    private static final class Fields {
        private final java.util.Set<String> names = new java.util.HashSet<>();

        String once(String name) {
            if (!names.add(name)) {
                throw Unusual.INSTANCE;
            }
            return name;
        }
    }
}

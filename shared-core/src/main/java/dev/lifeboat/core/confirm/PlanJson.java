package dev.lifeboat.core.confirm;

import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.json.JsonFactory;

/**
 * A stored plan ({@code plans/<id>.json}) read from the JSON parser's tokens, without the object
 * mapper: a confirmed restore, delete or prune reads one plan, and building the mapper with the
 * plan's deserializer cost ~0.1 s of CPU before the token was checked. Only the shape {@link
 * Confirmations} writes takes this path (known fields, each once, non-null values of their JSON type,
 * ISO-8601 times); anything else answers null and is read by the mapper, as before. A misreading could
 * not let a token through: the binding, the expiry and the approval flag are under the token's MAC.
 */
final class PlanJson {
    private static final JsonFactory FACTORY = new JsonFactory();

    private PlanJson() {}

    /** The plan in {@code bytes}, or null when it is not in the plain shape (read it with the mapper). */
    static Confirmations.StoredPlan read(byte[] bytes) {
        try (JsonParser p = FACTORY.createParser(ObjectReadContext.empty(), bytes)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            String planId = null, summary = null;
            PlanBinding binding = null;
            Instant issuedAt = null, expiresAt = null;
            Boolean operatorApproval = null;
            Set<String> seen = new HashSet<>();
            for (String name; (name = p.nextName()) != null; ) {
                JsonToken t = p.nextToken();
                if (!seen.add(name)) {
                    return null;
                }
                switch (name) {
                    case "plan_id" -> planId = string(p, t);
                    case "binding" -> binding = binding(p, t);
                    case "issued_at" -> issuedAt = Instant.parse(string(p, t));
                    case "expires_at" -> expiresAt = Instant.parse(string(p, t));
                    case "operator_approval" -> {
                        if (t != JsonToken.VALUE_TRUE && t != JsonToken.VALUE_FALSE) {
                            return null;
                        }
                        operatorApproval = t == JsonToken.VALUE_TRUE;
                    }
                    case "summary" -> summary = string(p, t);
                    default -> {
                        return null;
                    }
                }
            }
            if (p.nextToken() != null || planId == null || binding == null || operatorApproval == null) {
                return null;
            }
            return new Confirmations.StoredPlan(planId, binding, issuedAt, expiresAt, operatorApproval, summary);
        } catch (RuntimeException e) { // Unusual, the parser's JacksonException, a time Instant cannot parse
            return null;
        }
    }

    private static PlanBinding binding(JsonParser p, JsonToken t) {
        if (t != JsonToken.START_OBJECT) {
            throw Unusual.INSTANCE;
        }
        String operation = null, backupId = null, sha256 = null, target = null, mode = null;
        Set<String> seen = new HashSet<>();
        for (String name; (name = p.nextName()) != null; ) {
            JsonToken v = p.nextToken();
            if (!seen.add(name)) {
                throw Unusual.INSTANCE;
            }
            switch (name) {
                case "operation" -> operation = string(p, v);
                case "backup_id" -> backupId = string(p, v);
                case "sha256" -> sha256 = string(p, v);
                case "target" -> target = string(p, v);
                case "mode" -> mode = string(p, v);
                default -> throw Unusual.INSTANCE;
            }
        }
        return new PlanBinding(operation, backupId, sha256, target, mode);
    }

    private static String string(JsonParser p, JsonToken t) {
        if (t != JsonToken.VALUE_STRING) {
            throw Unusual.INSTANCE;
        }
        return p.getString();
    }

    /** Thrown inside the reader when the input leaves the plain shape: the mapper reads it instead. */
    private static final class Unusual extends RuntimeException {
        private static final Unusual INSTANCE = new Unusual();

        private Unusual() {
            super(null, null, false, false);
        }
    }
}

package dev.lifeboat.core.testing;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Records with every component set to a value of its own (no null, no zero, no empty list), made by
 * reflection: code that copies, stores or prints a record field by field and misses one gives back
 * something different, including for a component added after the test was written. Strings vary,
 * and every third carries non-ASCII text, quotes, a backslash, a slash and a control character.
 */
public final class FilledRecords {
    private int counter;

    /** A new instance of {@code type} (a record), filled. */
    public <T> T of(Class<T> type) {
        return type.cast(filled(type));
    }

    private Object filled(Type type) {
        int n = ++counter;
        if (type instanceof ParameterizedType p) {
            Type[] args = p.getActualTypeArguments();
            if (p.getRawType() == List.class) {
                return List.of(filled(args[0]), filled(args[0]));
            }
            if (p.getRawType() == Map.class) {
                return Map.of(filled(args[0]), filled(args[1]), filled(args[0]), filled(args[1]));
            }
            throw new AssertionError("no value for " + type);
        }
        Class<?> c = (Class<?>) type;
        if (c == String.class) {
            return "v" + n + (n % 3 == 0 ? " ünïcode ✓ \"quoted\" back\\slash a/b tab\t\u0001 \u2028" : "");
        }
        if (c == int.class || c == Integer.class) {
            return n % 2 == 0 ? n : -n;
        }
        if (c == long.class || c == Long.class) {
            return n % 2 == 0 ? (long) n << 33 : -(long) n;
        }
        if (c == boolean.class || c == Boolean.class) {
            return true;
        }
        if (c == Instant.class) {
            return Instant.ofEpochSecond(1_700_000_000L + n, n % 2 == 0 ? 123_456_789 + n : 0);
        }
        if (c.isRecord()) {
            RecordComponent[] components = c.getRecordComponents();
            Class<?>[] types = new Class<?>[components.length];
            Object[] values = new Object[components.length];
            for (int i = 0; i < components.length; i++) {
                types[i] = components[i].getType();
                values[i] = filled(components[i].getGenericType());
            }
            try {
                return c.getDeclaredConstructor(types).newInstance(values);
            } catch (ReflectiveOperationException e) {
                throw new AssertionError(e);
            }
        }
        throw new AssertionError("no value for " + type + ": teach FilledRecords the new type");
    }
}

package dev.lifeboat.core.base;

import java.util.Arrays;

/**
 * A secret value (a password, a key) that never prints: {@link #toString()} is a mask, and making
 * one registers its value with the global {@link Redactor} so that a copy of it that leaks into a
 * child's stderr or a driver message is masked too.
 */
public final class Secret {
    private final char[] value;

    private Secret(char[] value) {
        this.value = value;
    }

    public static Secret of(String value) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("a secret cannot be empty");
        }
        Redactor.global().register(value);
        return new Secret(value.toCharArray());
    }

    /** The value itself, for the one place that must hand it on (an environment, a passfile). */
    public String reveal() {
        return new String(value);
    }

    @Override
    public String toString() {
        return Redactor.MASK;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Secret other && Arrays.equals(value, other.value);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(value);
    }
}

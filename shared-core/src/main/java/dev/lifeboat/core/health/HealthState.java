package dev.lifeboat.core.health;

/**
 * The verdict on one source, worst first. Written as its name in every face's JSON ({@code "FAILING"}),
 * the words of the documentation and of monitors' rules.
 */
public enum HealthState {
    /** Its last backup attempt failed after its newest committed backup was taken. */
    FAILING,
    /** No store holds a backup of it, and no attempt is known to have failed. */
    NEVER,
    /** It has backups, but an objective is missed (too old, no recent passing drill, too few copies). */
    LATE,
    /** Every objective is met. */
    OK;

    @com.fasterxml.jackson.annotation.JsonValue
    public String json() {
        return name();
    }

    /** The worse of this and {@code other}. */
    public HealthState worst(HealthState other) {
        return ordinal() <= other.ordinal() ? this : other;
    }
}

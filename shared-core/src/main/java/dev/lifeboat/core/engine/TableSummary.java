package dev.lifeboat.core.engine;

/**
 * One table as it was when the backup was taken.
 *
 * @param schema the schema name
 * @param name the table name
 * @param rows the row count: exact when {@code exact}, otherwise the planner's estimate (-1 when unknown)
 * @param exact whether {@code rows} was counted in the dump's own snapshot
 */
public record TableSummary(String schema, String name, long rows, boolean exact) {
    public String qualifiedName() {
        return schema + "." + name;
    }
}

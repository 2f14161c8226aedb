package dev.lifeboat.core.engine;

/** A table's schema and name, as the archive and the catalog spell them (not quoted). */
public record TableName(String schema, String name) {
    public String qualifiedName() {
        return schema + "." + name;
    }
}

package dev.lifeboat.core.restore;

import dev.lifeboat.core.engine.TableSummary;
import java.util.List;
import java.util.Map;

/**
 * What a database backup holds, read from its archive's table of contents: what a selective restore
 * can name.
 *
 * @param backupId the backup
 * @param store the store it was read from
 * @param database the configured database it was taken from
 * @param schemas the schemas that hold something, sorted ({@code public} included when it does)
 * @param tables the tables, schema-qualified, with the row counts the manifest recorded (rows -1:
 *     unknown)
 * @param views views and materialized views, schema-qualified
 * @param objects how many objects of each other kind there are ("function": 3, "index": 12, ...)
 */
public record BackupContents(
        String backupId,
        String store,
        String database,
        List<String> schemas,
        List<TableSummary> tables,
        List<String> views,
        Map<String, Integer> objects) {
    public BackupContents {
        schemas = List.copyOf(schemas);
        tables = List.copyOf(tables);
        views = List.copyOf(views);
        objects = Map.copyOf(objects);
    }
}

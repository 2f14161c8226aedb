package dev.lifeboat.core.engine;

import java.util.List;
import java.util.Map;

/**
 * What in a database hangs on some of its tables from outside them: what a selective restore over
 * the database must take apart and put back around those tables.
 *
 * @param rows the tables among those asked about that exist, with the planner's row estimate (-1
 *     when the table was never analysed)
 * @param foreignKeys foreign keys of other tables that reference them ("audit_account_id_fkey of
 *     public.audit"): dropped, and added again (and so checked) against the restored tables
 * @param views views over them: pointed at the restored tables
 * @param materializedViews materialized views over them, which cannot be re-pointed in place
 */
public record TableDependents(
        Map<String, Long> rows, List<String> foreignKeys, List<String> views, List<String> materializedViews) {
    public TableDependents {
        rows = Map.copyOf(rows);
        foreignKeys = List.copyOf(foreignKeys);
        views = List.copyOf(views);
        materializedViews = List.copyOf(materializedViews);
    }
}

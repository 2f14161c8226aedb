package dev.lifeboat.core.health;

import java.time.Instant;
import java.util.List;

/**
 * The health of everything configured, at one moment.
 *
 * @param checkedAt when the catalogs were read (ages are relative to it)
 * @param healthy whether every source and set is OK and every store could be read
 * @param sources databases and directories, in configuration order
 * @param sets sets, in configuration order
 * @param stores what each store holds, or why it could not be read
 */
public record HealthReport(
        Instant checkedAt,
        boolean healthy,
        List<SourceHealth> sources,
        List<SourceHealth> sets,
        List<StoreHealth> stores) {

    public HealthReport {
        sources = List.copyOf(sources);
        sets = List.copyOf(sets);
        stores = List.copyOf(stores);
    }

    /**
     * One store as the check found it.
     *
     * @param backups how many committed backups it holds (of configured sources or not)
     * @param error why it could not be listed ({@code CODE: message}), or null; its backups count as
     *     missing, so sources may look worse than they are until it is reachable again
     * @param next what to do when it could not be read, or null
     */
    public record StoreHealth(String name, int backups, String error, NextStep next) {}

    /** The names of the sources and sets that are not OK, sources first. */
    public List<String> unhealthy() {
        return java.util.stream.Stream.concat(sources.stream(), sets.stream())
                .filter(s -> s.state() != HealthState.OK)
                .map(SourceHealth::name)
                .toList();
    }
}

package dev.lifeboat.core.backup;

import dev.lifeboat.core.catalog.BackupRecord;
import java.time.Instant;
import java.util.List;

/**
 * One set run as {@code backup list --set NAME} shows it: the backups it committed, and the
 * configured members it has no backup of (they failed, or joined the set later).
 *
 * @param set the set's name
 * @param run the run's id
 * @param createdAt when its first member started
 * @param backups its committed backups, in the set's member order
 * @param missing configured members without a backup in this run
 */
public record SetListing(String set, String run, Instant createdAt, List<BackupRecord> backups, List<String> missing) {
    public SetListing {
        backups = List.copyOf(backups);
        missing = List.copyOf(missing);
    }
}

package dev.lifeboat.core.backup;

import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.catalog.BackupRecord;
import java.time.Instant;
import java.util.List;

/**
 * What one {@code backup create --set NAME} did: every member was attempted, one after the other;
 * a member that failed does not undo the others, which stay committed.
 *
 * @param set the configured set
 * @param run the run's id, recorded in every member's manifest
 * @param startedAt when the run started
 * @param members each member in the set's order, with its backup or its error
 * @param failed how many members failed
 */
public record SetRunResult(String set, String run, Instant startedAt, List<Member> members, int failed) {
    public SetRunResult {
        members = List.copyOf(members);
    }

    /** Whether every member was backed up. */
    public boolean complete() {
        return failed == 0;
    }

    /**
     * One member's outcome.
     *
     * @param name the configured database or directory
     * @param kind "postgresql" or "directory"
     * @param backup the committed backup, or null when it failed
     * @param error the error code when it failed, else null
     * @param message what went wrong, else null
     */
    public record Member(String name, String kind, BackupRecord backup, ErrorCode error, String message) {}
}

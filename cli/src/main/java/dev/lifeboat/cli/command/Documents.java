package dev.lifeboat.cli.command;

import dev.lifeboat.cli.ScheduleText;
import dev.lifeboat.core.catalog.BackupRecord;
import dev.lifeboat.core.manage.Inventory;
import dev.lifeboat.core.restore.DirectoryRestoreResult;
import dev.lifeboat.core.restore.RestoreResult;

/** The --json documents of commands whose result is more than one service record. */
final class Documents {
    private Documents() {}

    /** A plan: {@code status} is "planned" (--plan) or "confirmation_required" (refused without a token). */
    record Plan(String status, Object plan, String nextCommand) {}

    record Restored(String status, RestoreResult restore) {
        Restored(RestoreResult restore) {
            this("restored", restore);
        }
    }

    record DirectoryRestored(String status, DirectoryRestoreResult restore) {
        DirectoryRestored(DirectoryRestoreResult restore) {
            this("restored", restore);
        }
    }

    record Undone(String status, dev.lifeboat.core.restore.UndoResult undo) {
        Undone(dev.lifeboat.core.restore.UndoResult undo) {
            this("undone", undo);
        }
    }

    record Deleted(String status, BackupRecord backup) {
        Deleted(BackupRecord backup) {
            this("deleted", backup);
        }
    }

    record Approved(String status, String planId, String approver, String summary) {}

    /** {@code config check}: the inventory, and the schedules as configured (no store is read). */
    record ConfigChecked(String status, Inventory inventory, java.util.List<ScheduleText.Configured> schedules) {}
}

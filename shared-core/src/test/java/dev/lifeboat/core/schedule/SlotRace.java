package dev.lifeboat.core.schedule;

import dev.lifeboat.core.base.OperationContext;
import dev.lifeboat.core.store.BackupStore;
import dev.lifeboat.core.testing.ServiceOverFakes;
import dev.lifeboat.core.testing.Workers;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;

/** Workers racing for one slot of the schedule "nightly". */
final class SlotRace {
    private SlotRace() {}

    /**
     * Eight workers, each with its own context (as separate processes would have) over the store
     * {@code store} gives by name, start {@code slot} at once; how each one's run ended.
     */
    static List<SlotResult.Status> race(
            ServiceOverFakes f, Function<String, BackupStore> store, Instant slot, OperationContext caller)
            throws Exception {
        return Workers.atOnce(8, i -> {
                    RunSchedule worker = new RunSchedule(f.separateContext(sc -> store.apply(sc.name())));
                    return () -> worker.run("nightly", slot, caller);
                })
                .stream()
                .map(SlotResult::status)
                .toList();
    }
}

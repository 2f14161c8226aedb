/**
 * Schedules: running backups at cron times, unattended, from one configuration on one host or many.
 *
 * <p>{@link dev.lifeboat.core.schedule.RunSchedule} runs one slot of a schedule through the use cases
 * a person would run by hand (create with its notifications, verify, copy, prune), so audit lines,
 * webhooks, pings, {@code status} and the metrics cannot tell a scheduled run from a manual one. Each
 * slot is first claimed with a create-only run marker in a store ({@code RunMarkers}: the conditional
 * write that commits manifests), so any number of workers pointed at one bucket run each slot once,
 * and the newest marker is the durable "last run" a restarted scheduler catches up from. The claim is
 * a lease its holder renews with a heartbeat while it runs ({@code SlotClaim}); a worker that died
 * mid-run leaves a claim that lapses, and the next worker takes the slot over, create-only as well.
 *
 * <p>Three ways to drive it from the same configuration: {@link dev.lifeboat.core.schedule.Scheduler}
 * (the foreground loop of {@code lifeboat schedule run}; its "what is due now" is one computation over
 * an injected clock), {@link dev.lifeboat.core.schedule.SystemdUnits} (a timer per schedule) and
 * {@link dev.lifeboat.core.schedule.KubernetesCronJobs} (a CronJob per schedule), both of which run
 * {@code schedule run-once NAME}, i.e. {@link dev.lifeboat.core.schedule.RunSchedule#runLatest}.
 */
package dev.lifeboat.core.schedule;

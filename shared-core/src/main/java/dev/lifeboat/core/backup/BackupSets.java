package dev.lifeboat.core.backup;

import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.base.LifeboatException;
import dev.lifeboat.core.base.OperationContext;
import dev.lifeboat.core.catalog.BackupId;
import dev.lifeboat.core.catalog.BackupRecord;
import dev.lifeboat.core.catalog.Manifest;
import dev.lifeboat.core.compress.Compression;
import dev.lifeboat.core.config.LifeboatConfig;
import dev.lifeboat.core.config.SetConfig;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Backup sets: the databases and directories of one application, backed up one after the other in
 * one run whose id every member's manifest records, and listed grouped by run. A set is a grouping,
 * not a transaction: members are separate backups taken at slightly different times, and a member
 * that fails leaves the others committed.
 */
public final class BackupSets {
    private final LifeboatConfig config;
    private final Clock clock;

    public BackupSets(LifeboatConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
    }

    /** Takes one member's backup as part of a run. */
    @FunctionalInterface
    public interface Creator {
        BackupRecord create(CreateBackupRequest request, Manifest.SetRun run, OperationContext context);
    }

    public SetRunResult create(
            String set,
            String store,
            String label,
            Map<String, String> tags,
            String compression,
            OperationContext context,
            Creator creator) {
        SetConfig s = config.set(set);
        if (store != null && !store.isBlank()) {
            config.store(store);
        }
        if (compression != null && !compression.isBlank()) {
            // a bad name fails the run up front, not once per member
            compression = Compression.parse(compression, "compression").id();
        }
        Instant started = clock.instant();
        Manifest.SetRun run = new Manifest.SetRun(
                s.name(), BackupId.generate(s.name(), started).value());
        List<SetRunResult.Member> members = new ArrayList<>();
        int failed = 0;
        for (String name : s.members()) {
            String kind = config.directories().containsKey(name) ? Manifest.KIND_DIRECTORY : Manifest.KIND_POSTGRESQL;
            if (context.cancel().isCancelled()) {
                members.add(new SetRunResult.Member(
                        name, kind, null, ErrorCode.CANCELLED, "not started: the run was cancelled"));
                failed++;
                continue;
            }
            try {
                BackupRecord r =
                        creator.create(new CreateBackupRequest(name, store, label, tags, compression), run, context);
                members.add(new SetRunResult.Member(name, kind, r, null, null));
            } catch (LifeboatException e) {
                members.add(new SetRunResult.Member(name, kind, null, e.code(), e.getMessage()));
                failed++;
            }
        }
        return new SetRunResult(s.name(), run.run(), started, members, failed);
    }

    /**
     * Groups {@code backups} (newest first) into the runs of {@code set}, newest run first.
     *
     * @param limit at most this many runs, or 0 for all
     */
    public List<SetListing> list(String set, List<BackupRecord> backups, int limit) {
        BackupId.requireName(set, "set name");
        List<String> configured =
                config.sets().containsKey(set) ? config.sets().get(set).members() : List.of();
        Map<String, List<BackupRecord>> runs = new LinkedHashMap<>();
        for (BackupRecord r : backups) {
            Manifest.SetRun run = r.manifest().set();
            if (run != null && set.equals(run.name())) {
                runs.computeIfAbsent(run.run(), k -> new ArrayList<>()).add(r);
            }
        }
        List<SetListing> out = new ArrayList<>();
        for (Map.Entry<String, List<BackupRecord>> e : runs.entrySet()) {
            List<BackupRecord> members = new ArrayList<>(e.getValue());
            members.sort(Comparator.comparingInt((BackupRecord r) -> {
                        int i = configured.indexOf(r.manifest().database());
                        return i < 0 ? Integer.MAX_VALUE : i;
                    })
                    .thenComparing(r -> r.manifest().database())
                    .thenComparing(BackupRecord::store));
            List<String> missing = configured.stream()
                    .filter(n -> members.stream()
                            .noneMatch(r -> r.manifest().database().equals(n)))
                    .toList();
            Instant created = members.stream()
                    .map(r -> r.manifest().createdAt())
                    .min(Comparator.naturalOrder())
                    .orElseThrow();
            out.add(new SetListing(set, e.getKey(), created, members, missing));
        }
        out.sort(Comparator.comparing(SetListing::createdAt)
                .thenComparing(SetListing::run)
                .reversed());
        return limit > 0 && out.size() > limit ? List.copyOf(out.subList(0, limit)) : out;
    }
}

package dev.lifeboat.core.backup;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.core.base.CancelSignal;
import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.base.LifeboatException;
import dev.lifeboat.core.base.OperationContext;
import dev.lifeboat.core.catalog.BackupRecord;
import dev.lifeboat.core.catalog.Catalog;
import dev.lifeboat.core.context.LifeboatContext;
import dev.lifeboat.core.engine.ConnectionSpec;
import dev.lifeboat.core.engine.DatabaseState;
import dev.lifeboat.core.engine.Dump;
import dev.lifeboat.core.engine.DumpEngine;
import dev.lifeboat.core.engine.DumpOptions;
import dev.lifeboat.core.engine.RestoreOptions;
import dev.lifeboat.core.engine.ServerInfo;
import dev.lifeboat.core.engine.TableContent;
import dev.lifeboat.core.manage.ListBackupsQuery;
import dev.lifeboat.core.secret.PasswordSources;
import dev.lifeboat.core.testing.FakeDump;
import dev.lifeboat.core.testing.FakeDumpEngine;
import dev.lifeboat.core.testing.FakeDumpEngine.Step;
import dev.lifeboat.core.testing.Refusals;
import dev.lifeboat.core.testing.ServiceOverFakes;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/**
 * {@link CreateBackup}'s decisions over the fakes: what it refuses before anything runs, and that a
 * failure or cancel at any step leaves nothing listed, nothing stored and an error line in the audit log.
 */
class CreateBackupTest {
    @AutoClose
    private final ServiceOverFakes f = ServiceOverFakes.inTempDir()
            .database("app", Map.of("accounts", 3, "orders", 5))
            .build();

    private final CreateBackup create = new CreateBackup(f.context());

    private static CreateBackupRequest request(String label, Map<String, String> tags) {
        return new CreateBackupRequest("app", null, label, tags);
    }

    private static OperationContext caller() {
        return OperationContext.of("test", "tester");
    }

    private LifeboatException refused(CreateBackupRequest request) {
        return Refusals.refused(() -> create.create(request, null, caller()));
    }

    /** Nothing ran and nothing was written: no dump, no store object, no store call. */
    private void assertUntouched() {
        assertThat(f.engine().dumps()).isEmpty();
        assertThat(f.store().keys()).isEmpty();
        assertThat(f.store().calls()).isEmpty();
    }

    /** Nothing is stored or listed, and the audit log's last line is this create's error. */
    private void assertLeftNothing(ErrorCode code) {
        assertThat(f.store().keys()).isEmpty();
        assertThat(f.service().list(ListBackupsQuery.all())).isEmpty();
        Map<String, Object> line = f.lastAudit();
        assertThat(line)
                .containsEntry("operation", "create")
                .containsEntry("outcome", "error")
                .containsEntry("error_code", code.name())
                .containsEntry("database", "app")
                .containsEntry("store", "main");
        assertThat((String) line.get("backup_id")).startsWith("app-");
    }

    // ---- labels and tags ----

    @Test
    void aLabelOfTwoHundredCharactersIsKept() {
        BackupRecord r = create.create(request("x".repeat(200), Map.of()), null, caller());
        assertThat(r.manifest().label()).hasSize(200);
    }

    @Test
    void aLabelLongerThanTwoHundredCharactersIsRefusedBeforeAnythingRuns() {
        assertThat(refused(request("x".repeat(201), Map.of())).code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
        assertUntouched();
    }

    @Test
    void aLabelWithAControlCharacterIsRefused() {
        LifeboatException e = refused(request("nightly\nrm -rf", Map.of()));
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
        assertThat(e.getMessage()).contains("label");
        assertUntouched();
    }

    @Test
    void aLabelWithABidiOverrideIsRefused() {
        LifeboatException e = refused(request("invoice\u202efdp.exe", Map.of()));
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
        assertThat(e.getMessage()).contains("label", "formatting");
        assertUntouched();
    }

    @Test
    void aBlankLabelIsStoredAsNoLabel() {
        BackupRecord r = create.create(request("   ", Map.of()), null, caller());
        assertThat(r.manifest().label()).isNull();
    }

    @Test
    void thirtyTwoTagsAreKeptAndThirtyThreeRefused() {
        Map<String, String> tags = new HashMap<>();
        for (int i = 0; i < 32; i++) {
            tags.put("k" + i, "v" + i);
        }
        BackupRecord r = create.create(request(null, tags), null, caller());
        assertThat(r.manifest().tags()).hasSize(32);

        tags.put("k32", "v32");
        LifeboatException e = refused(request(null, tags));
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
        assertThat(e.getMessage()).contains("too many tags (33");
        assertThat(f.engine().dumps()).as("only the first create dumped").hasSize(1);
    }

    @Test
    void aTagKeyOfSixtyThreeCharactersIsKeptAndOfSixtyFourRefused() {
        String key63 = "k" + "x".repeat(62);
        BackupRecord r = create.create(request(null, Map.of(key63, "v")), null, caller());
        assertThat(r.manifest().tags()).containsEntry(key63, "v");

        LifeboatException e = refused(request(null, Map.of(key63 + "x", "v")));
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
        assertThat(e.getMessage()).contains("invalid tag key");
    }

    @Test
    void tagKeysThatAreNotPlainWordsAreRefused() {
        for (String key : List.of("", "-lead", ".dot", "has space", "semi;colon", "ü")) {
            LifeboatException e = refused(request(null, Map.of(key, "v")));
            assertThat(e.code()).as("key '%s'", key).isEqualTo(ErrorCode.INVALID_ARGUMENT);
            assertThat(e.getMessage()).as("key '%s'", key).contains("invalid tag key");
        }
        assertUntouched();
    }

    @Test
    void tagKeysMayHoldDotsDashesAndUnderscoresAfterTheFirstCharacter() {
        BackupRecord r = create.create(request(null, Map.of("app.env_name-1", "prod")), null, caller());
        assertThat(r.manifest().tags()).containsEntry("app.env_name-1", "prod");
    }

    @Test
    void aTagValueTooLongOrWithAControlCharacterIsRefused() {
        assertThat(refused(request(null, Map.of("env", "x".repeat(201)))).code())
                .isEqualTo(ErrorCode.INVALID_ARGUMENT);
        LifeboatException e = refused(request(null, Map.of("env", "prod\u0007")));
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
        assertThat(e.getMessage()).contains("tag 'env'");
        assertUntouched();
    }

    @Test
    void aNullTagValueIsRefusedAsAnInvalidArgument() {
        // CreateBackup checks for null keys and values and answers INVALID_ARGUMENT; a caller of the
        // core API gets that answer, not a NullPointerException
        Map<String, String> tags = new HashMap<>();
        tags.put("env", null);

        Throwable t = org.assertj.core.api.Assertions.catchThrowable(
                () -> create.create(new CreateBackupRequest("app", null, null, tags), null, caller()));

        assertThat(t)
                .isInstanceOfSatisfying(
                        LifeboatException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT));
        assertUntouched();
    }

    @Test
    void anUnknownCompressionIsRefusedBeforeTheDumpStarts() {
        LifeboatException e = refused(new CreateBackupRequest("app", null, null, Map.of(), "lz4"));
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
        assertUntouched();
    }

    @Test
    void anUnconfiguredDatabaseOrStoreIsNotFound() {
        assertThat(refused(new CreateBackupRequest("nope", null, null, Map.of()))
                        .code())
                .isEqualTo(ErrorCode.NOT_FOUND);
        assertThat(refused(new CreateBackupRequest("app", "nope", null, Map.of()))
                        .code())
                .isEqualTo(ErrorCode.NOT_FOUND);
        assertUntouched();
    }

    // ---- failures midway ----

    @Test
    void aDumpFailingMidwayLeavesNothingListedAndNothingStored() {
        f.engine().failDumpAfter(100);

        LifeboatException e = refused(request(null, Map.of()));

        assertThat(e.code()).isEqualTo(ErrorCode.TOOL_FAILED);
        assertThat(f.engine().dumps())
                .singleElement()
                .satisfies(d -> assertThat(d.bytesRead()).isEqualTo(100));
        assertThat(f.store().calls()).noneMatch(c -> c.contains("manifest.json"));
        assertLeftNothing(ErrorCode.TOOL_FAILED);
        assertThat(f.engine().closes())
                .as("the engine is closed on failure too")
                .isEqualTo(1);
    }

    @Test
    void aDumpThatFailsWhenItFinishesHasItsStoredDataRemoved() {
        f.engine().failAt(Step.FINISH_DUMP);

        LifeboatException e = refused(request(null, Map.of()));

        assertThat(e.code()).isEqualTo(ErrorCode.TOOL_FAILED);
        String dumpKey = f.store().calls().get(0).substring("put ".length());
        assertThat(dumpKey).endsWith("/dump");
        assertThat(f.store().calls()).contains("delete " + dumpKey);
        assertLeftNothing(ErrorCode.TOOL_FAILED);
    }

    @Test
    void aFailedManifestWriteDiscardsTheData() {
        f.store().failPuts(k -> k.endsWith("/" + Catalog.MANIFEST));

        LifeboatException e = refused(request(null, Map.of()));

        assertThat(e.code()).isEqualTo(ErrorCode.STORE_UNAVAILABLE);
        List<String> calls = f.store().calls();
        assertThat(calls).hasSize(3);
        assertThat(calls.get(0)).startsWith("put app/").endsWith("/dump");
        assertThat(calls.get(1)).startsWith("put app/").endsWith("/manifest.json");
        assertThat(calls.get(2)).isEqualTo("delete " + calls.get(0).substring("put ".length()));
        assertLeftNothing(ErrorCode.STORE_UNAVAILABLE);
    }

    @Test
    void aStoreThatKeepsFewerBytesThanItWasSentFailsTheBackupAndIsCleanedUp() {
        f.store().shortWrites(k -> k.endsWith("/dump"), 10);

        LifeboatException e = refused(request(null, Map.of()));

        assertThat(e.code()).isEqualTo(ErrorCode.STORE_UNAVAILABLE);
        assertThat(e.getMessage()).contains("kept 10 bytes");
        assertThat(f.store().calls()).noneMatch(c -> c.contains("manifest.json"));
        assertLeftNothing(ErrorCode.STORE_UNAVAILABLE);
    }

    @Test
    void anUnreachableServerFailsTheBackupWithNothingStored() {
        f.engine().unreachable();

        LifeboatException e = refused(request(null, Map.of()));

        assertThat(e.code()).isEqualTo(ErrorCode.DATABASE_UNREACHABLE);
        assertThat(f.store().calls()).isEmpty();
        assertLeftNothing(ErrorCode.DATABASE_UNREACHABLE);
    }

    @Test
    void aSuccessfulBackupIsCommittedManifestLastAndAudited() {
        BackupRecord r = create.create(request("nightly", Map.of("env", "prod")), null, caller());

        String prefix = "app/" + r.manifest().id() + "/";
        assertThat(f.store().calls()).containsExactly("put " + prefix + "dump", "put " + prefix + "manifest.json");
        assertThat(r.manifest().label()).isEqualTo("nightly");
        assertThat(r.manifest().createdAt()).isEqualTo(ServiceOverFakes.START);
        assertThat(r.manifest().id()).startsWith("app-20260302T020000Z-");
        assertThat(f.lastAudit())
                .containsEntry("operation", "create")
                .containsEntry("outcome", "ok")
                .containsEntry("backup_id", r.manifest().id());
    }

    // ---- cancel ----

    @Test
    void aCancelBeforeTheStartRunsNoDumpAndLeavesNothing() {
        OperationContext c = caller();
        c.cancel().cancel();

        Throwable t =
                org.assertj.core.api.Assertions.catchThrowable(() -> create.create(request(null, Map.of()), null, c));

        assertThat(t).isInstanceOf(LifeboatException.class);
        assertThat(((LifeboatException) t).code()).isEqualTo(ErrorCode.CANCELLED);
        assertThat(f.engine().dumps()).isEmpty();
        assertThat(f.store().calls()).isEmpty();
        assertLeftNothing(ErrorCode.CANCELLED);
    }

    @Test
    void aCancelWhileConnectingAbortsTheDumpAsItStartsAndLeavesNothing() {
        CancelSignal cancel = new CancelSignal();
        OperationContext c = new OperationContext(
                "test",
                "tester",
                (done, total, message) -> {
                    if (message.startsWith("connecting")) {
                        cancel.cancel();
                    }
                },
                cancel);

        Refusals.refused(ErrorCode.CANCELLED, () -> create.create(request(null, Map.of()), null, c));

        assertThat(f.engine().dumps()).singleElement().satisfies(d -> {
            assertThat(d.aborted()).isTrue();
            assertThat(d.finished()).isFalse();
        });
        assertLeftNothing(ErrorCode.CANCELLED);
    }

    @Test
    void aCancelMidwayThroughTheDumpAbortsItAndLeavesNothing() {
        CancelSignal cancel = new CancelSignal();
        OperationContext c = new OperationContext("test", "tester", null, cancel);
        LifeboatContext ctx = contextWith(new Interfering(f.engine(), in -> cancel.cancel(), null));

        Refusals.refused(ErrorCode.CANCELLED, () -> new CreateBackup(ctx).create(request(null, Map.of()), null, c));

        FakeDump d = f.engine().dumps().get(0);
        assertThat(d.bytesRead()).as("the dump was under way").isPositive();
        assertThat(d.aborted()).isTrue();
        assertThat(f.store().calls()).noneMatch(call -> call.contains("manifest.json"));
        assertLeftNothing(ErrorCode.CANCELLED);
    }

    @Test
    void aCancelAfterTheDataIsStoredButBeforeTheCommitDiscardsTheData() {
        CancelSignal cancel = new CancelSignal();
        OperationContext c = new OperationContext("test", "tester", null, cancel);
        LifeboatContext ctx = contextWith(new Interfering(f.engine(), null, cancel::cancel));

        Refusals.refused(ErrorCode.CANCELLED, () -> new CreateBackup(ctx).create(request(null, Map.of()), null, c));

        List<String> calls = f.store().calls();
        assertThat(calls).hasSize(2);
        assertThat(calls.get(0)).endsWith("/dump");
        assertThat(calls.get(1)).isEqualTo("delete " + calls.get(0).substring("put ".length()));
        assertLeftNothing(ErrorCode.CANCELLED);
    }

    /** The service's context, with {@code engine} for every database. */
    private LifeboatContext contextWith(DumpEngine engine) {
        return new LifeboatContext(
                f.config(), db -> engine, sc -> f.store(sc.name()), new PasswordSources(Map.of()), f.clock());
    }

    /**
     * The fake engine, with its dumps watched: {@code afterFirstRead} runs once the first bytes of a
     * dump's data were read, {@code afterFinish} once a dump finished.
     */
    private static final class Interfering implements DumpEngine {
        private final FakeDumpEngine fake;
        private final Consumer<InputStream> afterFirstRead;
        private final Runnable afterFinish;

        Interfering(FakeDumpEngine fake, Consumer<InputStream> afterFirstRead, Runnable afterFinish) {
            this.fake = fake;
            this.afterFirstRead = afterFirstRead;
            this.afterFinish = afterFinish;
        }

        @Override
        public Dump startDump(ConnectionSpec source, DumpOptions options) {
            Dump d = fake.startDump(source, options);
            InputStream watched = new FilterInputStream(d.data()) {
                private boolean told;

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    int n = super.read(b, off, len);
                    if (n > 0 && !told && afterFirstRead != null) {
                        told = true;
                        afterFirstRead.accept(this);
                    }
                    return n;
                }
            };
            return new Dump() {
                @Override
                public InputStream data() {
                    return watched;
                }

                @Override
                public ServerInfo server() {
                    return d.server();
                }

                @Override
                public Result finish() {
                    Result r = d.finish();
                    if (afterFinish != null) {
                        afterFinish.run();
                    }
                    return r;
                }

                @Override
                public void abort() {
                    d.abort();
                }

                @Override
                public void close() {
                    d.close();
                }
            };
        }

        @Override
        public ServerInfo probe(ConnectionSpec source) {
            return fake.probe(source);
        }

        @Override
        public List<String> listArchive(InputStream archive) {
            return fake.listArchive(archive);
        }

        @Override
        public DatabaseState inspect(ConnectionSpec target) {
            return fake.inspect(target);
        }

        @Override
        public void createDatabase(ConnectionSpec target) {
            fake.createDatabase(target);
        }

        @Override
        public void dropDatabase(ConnectionSpec target) {
            fake.dropDatabase(target);
        }

        @Override
        public void restore(Path archive, ConnectionSpec target, RestoreOptions options) {
            fake.restore(archive, target, options);
        }

        @Override
        public void close() {
            fake.close();
        }

        @Override
        public String toolFor(int serverMajor) {
            return fake.toolFor(serverMajor);
        }

        @Override
        public Map<String, TableContent> archiveContents(Path archive) {
            return fake.archiveContents(archive);
        }

        @Override
        public Map<String, TableContent> databaseContents(ConnectionSpec db) {
            return fake.databaseContents(db);
        }
    }
}

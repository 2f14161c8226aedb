/**
 * Test fixtures for the core and the modules above it (shipped in shared-core's test-jar).
 *
 * <p><b>Real adapters.</b> {@link dev.lifeboat.core.testing.PgCluster} starts a throwaway,
 * password-protected PostgreSQL cluster ({@link dev.lifeboat.core.testing.PgClusterExtension} injects
 * the shared one), {@link dev.lifeboat.core.testing.SampleData} fills a database with tables that
 * exercise a dump, and {@link dev.lifeboat.core.testing.SampleTree} makes directory trees for
 * directory backups. Tests of what Lifeboat does to a real database or store use these.
 *
 * <p><b>The real service.</b> {@link dev.lifeboat.core.testing.LiveService} is the one fixture for a
 * real {@code BackupService} over the cluster: its configuration is made with
 * {@link dev.lifeboat.core.testing.ConfigBuilder} in the test's directory (databases on the cluster with
 * the password through {@code password_env}, local stores, directories, an age key on demand), and each
 * {@code open} can change one thing of it (another port, password, store setting). It also writes the
 * configuration file and environment the CLI and MCP tests hand to their faces. Around it:
 * {@link dev.lifeboat.core.testing.SampleManifest} (a manifest a test writes itself),
 * {@link dev.lifeboat.core.testing.Tampering} (damaged data, forged manifests),
 * {@link dev.lifeboat.core.testing.Refusals} (a refused call and its error code),
 * {@link dev.lifeboat.core.testing.InteropTools} (stock tools, and pipelines of them, for recovery by hand)
 * and {@link dev.lifeboat.core.testing.ChildProcesses} (no pg_dump left behind).
 *
 * <p><b>Fakes, for fast tests of the core's own logic.</b> Build the service over them with its
 * adapter-taking constructor, {@code new BackupService(config, db -> engine, store -> memoryStore,
 * passwords, clock)}; {@code BackupOverFakesTest} shows the whole create, list, verify, restore round.
 *
 * <ul>
 *   <li>{@link dev.lifeboat.core.testing.MemoryBackupStore}: a {@code BackupStore} in memory that
 *       keeps the whole store contract ({@code BackupStoreContract} runs against it: key checks,
 *       create-only puts enforced by the store, whole-or-nothing writes, sorted listings that never
 *       show a write in progress, readers that keep the version they opened), records every call, and
 *       injects faults: the Nth put fails (before, part way through or after reading its stream),
 *       puts of matching keys fail or silently keep a short object, gets and reads of a key fail,
 *       listings fail, and a stored object can be truncated, corrupted or planted behind the store's
 *       back.
 *   <li>{@link dev.lifeboat.core.testing.FakeDumpEngine}: a {@code DumpEngine} that plays one
 *       PostgreSQL server of databases holding tables of generated rows (configurable tables, row
 *       counts and server version). Its dumps ({@link dev.lifeboat.core.testing.FakeDump}) stream a
 *       deterministic {@link dev.lifeboat.core.testing.FakeArchive} that starts with pg_dump's {@code
 *       PGDMP} magic, so the core's archive checks accept it; listing, restoring and comparing read
 *       the same archive, so verify at every level, drills and restores work without PostgreSQL. It
 *       records every call, dump and restore (target, options and the exact bytes handed to it), and
 *       fails on cue: at any {@link dev.lifeboat.core.testing.FakeDumpEngine.Step} (a dump midway
 *       through its data, a restore after its first table, ...), with the server unreachable, or with
 *       a target database that exists already. Where the core relies on the PostgreSQL engine's
 *       behaviour, the fake copies it: a file without the magic is INTEGRITY_FAILED, a failed clean
 *       restore leaves the target as it was and any other leaves it half restored, a failed dump
 *       throws from {@code read} and never ends cleanly, and an unfinished dump closed is aborted.
 * </ul>
 *
 * <p>The fakes are for the core's logic and its failure paths; what happens to real bytes, processes and
 * servers stays covered by the integration tests over PostgreSQL, S3Proxy and the GCS test double.
 */
package dev.lifeboat.core.testing;

/**
 * {@code lifeboat.yaml}: found, read and validated up front, each problem named by its setting.
 *
 * <p>{@link dev.lifeboat.core.config.ConfigLoader} finds the file ({@code --config}, {@code
 * $LIFEBOAT_CONFIG}, the XDG config directory, else the embedded defaults from libpq's environment),
 * refuses it unless only its owner can read it, parses the YAML and hands the document to one reader
 * per section: {@code StoresReader} (with encryption), {@code DirectoriesReader}, {@code
 * DatabasesReader}, {@code SetsReader}, {@code DefaultsReader} and {@code ConfirmReader};
 * {@code state_dir} is one path. The readers read through {@code ConfigNode}, which knows the key
 * path of what it reads and words every type check ({@code databases.app.port: '99999' is not a port
 * number (1-65535)}); {@link dev.lifeboat.core.config.ConfigProblems} gathers the problems so one
 * load reports them all. The result is immutable records ({@link
 * dev.lifeboat.core.config.LifeboatConfig} and the entries it holds, {@link
 * dev.lifeboat.core.config.StoreUri} among them).
 *
 * <p>Dependencies point down: config imports only {@code base} and the leaf packages whose values it
 * holds or checks (compress, retention, crypto, source.files), never a package that reads a config
 * (store, secret, catalog, engine, the use cases); {@code ArchitectureTest} keeps it so. That is why
 * an object store's options are checked by its adapter after loading ({@code
 * BackupStores.checkSettings}, run by {@code BackupService.open}), in the same words.
 */
package dev.lifeboat.core.config;

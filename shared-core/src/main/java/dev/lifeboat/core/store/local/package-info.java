/** A store in a local directory: temp file, fsync, atomic rename; owner-only permissions. */
package dev.lifeboat.core.store.local;

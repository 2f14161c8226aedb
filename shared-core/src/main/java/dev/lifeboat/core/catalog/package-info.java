/**
 * Backups as objects in a store: ids, manifests (the commit marker written last) and the checksums
 * that tie a manifest to its data.
 */
package dev.lifeboat.core.catalog;

/**
 * The dump-engine port: how Lifeboat dumps, restores and inspects a database ({@link
 * dev.lifeboat.core.engine.DumpEngine}), with the connection and option records it takes and the
 * child-process runner engines share.
 */
package dev.lifeboat.core.engine;

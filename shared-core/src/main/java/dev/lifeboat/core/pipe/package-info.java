/**
 * Streams for the pull-style backup pipe: a push-style encoder (encryption, tar) becomes an
 * InputStream that produces its bytes as they are read, with no thread and flat memory; a watched
 * source tells its failures from the reader's; a read-ahead puts a source's cost on a second core;
 * and the single-byte read the pipe's streams share.
 */
package dev.lifeboat.core.pipe;

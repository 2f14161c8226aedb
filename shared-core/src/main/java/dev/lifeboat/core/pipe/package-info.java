/**
 * Streams for the pull-style backup pipe: a push-style encoder (encryption, tar) becomes an
 * InputStream that produces its bytes as they are read, with no thread and flat memory.
 */
package dev.lifeboat.core.pipe;

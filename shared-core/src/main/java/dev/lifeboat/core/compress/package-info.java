/**
 * Compression of the archive in the backup pipe: which method a backup uses ({@link
 * dev.lifeboat.core.compress.Compression}, {@link dev.lifeboat.core.compress.CompressionSetting}) and
 * pull-style zstd streams ({@link dev.lifeboat.core.compress.ZstdCompression}) that sit between
 * pg_dump and encryption on the way in, and between decryption and the spool file on the way out.
 */
package dev.lifeboat.core.compress;

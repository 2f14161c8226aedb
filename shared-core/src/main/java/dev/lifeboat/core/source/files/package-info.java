/**
 * Directories as a backup source: a streaming tar archiver that keeps modes, times, links and empty
 * directories, and an extractor that restores into a target only what stays inside it.
 */
package dev.lifeboat.core.source.files;

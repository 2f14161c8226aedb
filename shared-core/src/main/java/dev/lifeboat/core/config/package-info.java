/** {@code lifeboat.yaml}: found, read and validated up front, each problem named by its setting. */
package dev.lifeboat.core.config;

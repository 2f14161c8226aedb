/**
 * Secrets never print: {@code Secret} masks itself, the {@code Redactor} cleans every line that leaves
 * the process, and password sources read secrets only from the environment or owner-only files.
 */
package dev.lifeboat.core.secret;

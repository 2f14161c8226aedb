/**
 * Where secrets come from and how log lines are cleaned: password sources read secrets only from the
 * environment or owner-only files; the log layouts pass every line through the base {@code Redactor}.
 */
package dev.lifeboat.core.secret;

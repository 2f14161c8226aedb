/**
 * Retention: which backups of one database a policy keeps and why, with restic's bucket rules
 * (last, hourly, daily, weekly, monthly, yearly, within) in UTC, and the newest verified backup always kept.
 */
package dev.lifeboat.core.retention;

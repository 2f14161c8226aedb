/**
 * Cron expressions as values: {@link dev.lifeboat.core.cron.CronExpression} parses the five-field Unix
 * form in an explicit time zone and answers the fire times around an instant, with cron-utils (the only
 * package that imports it). A leaf: config reads schedules with it, and it depends on nothing of
 * Lifeboat's, so the fire-time rules are tested without a store, a database or a clock.
 */
package dev.lifeboat.core.cron;

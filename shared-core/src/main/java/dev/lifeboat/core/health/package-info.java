/**
 * Health against objectives ({@code lifeboat status}, MCP {@code backup_status}): for each configured
 * database, directory and set, whether its backups keep the promises of its {@code rpo}, {@code
 * drill_every} and {@code copies}, the facts behind the verdict, and the next step for each problem.
 *
 * <p>It reads the stores' catalogs (manifests and drill records) and this host's audit log only, never a
 * database: it answers while every database is down and from a fresh install, which is when the
 * answer matters most. Failures that left nothing in a store (a wrong password, say) are known from the
 * audit log alone, so another host's failures are not seen; its successes are (they are in the store).
 */
package dev.lifeboat.core.health;

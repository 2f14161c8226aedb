/**
 * The PostgreSQL engine: pg_dump/pg_restore as child processes (tool version picked per server,
 * password only via a 0600 passfile) and pgjdbc for version checks, table lists, row counts, create and
 * drop.
 */
package dev.lifeboat.core.engine.postgres;

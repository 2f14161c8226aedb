package dev.lifeboat.core.engine;

/**
 * What one table holds, as rows in pg_dump's COPY text form.
 *
 * @param rows the number of rows
 * @param digest an order-independent digest of the rows (the sum of each row's truncated SHA-256), so
 *     the same rows give the same digest whatever order a dump or a restore wrote them in
 */
public record TableContent(long rows, String digest) {}

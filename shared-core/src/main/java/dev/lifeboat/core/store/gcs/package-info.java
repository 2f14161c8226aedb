/**
 * The Google Cloud Storage adapter of the store port: resumable uploads through a write channel,
 * create-only writes by generation precondition, credentials from ADC or a 0600 key file.
 *
 * <p>{@link dev.lifeboat.core.store.gcs.GcsBackupStore} keeps the store contract; {@code GcsClients}
 * makes the client and {@code GcsErrors} turns what the client library throws into Lifeboat's error
 * codes and hints, as the S3 adapter's classes of the same names do.
 */
package dev.lifeboat.core.store.gcs;

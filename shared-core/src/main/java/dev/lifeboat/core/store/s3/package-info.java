/**
 * The Amazon S3 (and S3-compatible: MinIO, Ceph RGW, R2, B2) adapter of the store port: streaming
 * multipart uploads with bounded memory, aborted on any failure, over the AWS SDK's async client.
 *
 * <p>{@link dev.lifeboat.core.store.s3.S3BackupStore} keeps the store contract and is the only public
 * class besides its settings; {@code S3Clients} makes the client (credentials, region, endpoint,
 * event loops), {@code S3Upload} streams one object up, and {@code S3Errors} turns what the SDK
 * throws into Lifeboat's error codes and hints.
 */
package dev.lifeboat.core.store.s3;

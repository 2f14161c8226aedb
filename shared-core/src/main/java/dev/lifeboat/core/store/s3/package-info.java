/**
 * The Amazon S3 (and S3-compatible: MinIO, Ceph RGW, R2, B2) adapter of the store port: streaming
 * multipart uploads with bounded memory, aborted on any failure, over the AWS SDK's async client.
 */
package dev.lifeboat.core.store.s3;

/**
 * The Google Cloud Storage adapter of the store port: resumable uploads through a write channel,
 * create-only writes by generation precondition, credentials from ADC or a 0600 key file.
 */
package dev.lifeboat.core.store.gcs;

/**
 * Client-side encryption in the age format: recipients ({@code age1…}) from the config, identities from
 * owner-only files or the environment, and pull-style encrypting and decrypting streams that stay
 * interoperable with the {@code age} CLI.
 */
package dev.lifeboat.core.crypto;

/**
 * What every other package of the core uses and nothing of the core's own: errors and their codes, the
 * redactor and secret values, file permissions, real-path checks, the operation context (progress and
 * cancel), the shared JSON mapper, HMAC-SHA256 and the version. It imports no other Lifeboat package.
 */
package dev.lifeboat.core.base;

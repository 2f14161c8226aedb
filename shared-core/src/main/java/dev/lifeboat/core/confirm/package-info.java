/**
 * Confirmation of destructive operations: HMAC-bound, single-use, expiring tokens and operator
 * approvals, kept on disk so that a plan and its execution can be separate processes.
 */
package dev.lifeboat.core.confirm;

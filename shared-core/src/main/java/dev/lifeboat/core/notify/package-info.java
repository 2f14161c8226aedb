/**
 * Announcing backup outcomes to the targets under {@code notify:}: generic webhooks (a JSON body,
 * optionally signed with HMAC-SHA256), healthchecks-style pings ({@code /start}, success, {@code
 * /fail}), Slack, Discord and Teams incoming webhooks (one sentence in each service's body) and mail
 * over SMTP ({@code notify.mail}). A notification is best effort by design: it is tried with a timeout and retried with
 * backoff, and one that still fails is logged and written to the audit log, never thrown, so it
 * cannot fail or hide the backup's own outcome.
 */
package dev.lifeboat.core.notify;

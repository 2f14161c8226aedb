/** The append-only audit log: one JSON line per operation and outcome, owner-only, never through a link. */
package dev.lifeboat.core.audit;

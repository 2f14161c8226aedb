/** Verification levels and reports: a failed check is a finding in a report, not an exception. */
package dev.lifeboat.core.verify;

/**
 * Mail notifications over SMTP: the only package that uses Jakarta Mail (Eclipse Angus Mail, its
 * reference implementation). STARTTLS is required unless the target says otherwise, the server's
 * certificate and name are checked, and the login's password is read from the environment.
 */
package dev.lifeboat.core.notify.mail;

package dev.lifeboat.cli.command;

import picocli.CommandLine.Command;

/** {@code lifeboat audit ...}. */
@Command(
        name = "audit",
        description = "Check the audit log.",
        subcommands = {AuditVerifyCommand.class})
public final class AuditCommand extends GroupCommand {}

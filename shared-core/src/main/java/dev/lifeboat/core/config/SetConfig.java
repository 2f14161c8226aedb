package dev.lifeboat.core.config;

import java.util.List;

/**
 * A backup set: databases and directories that belong to one application and are backed up
 * together ({@code lifeboat backup create --set NAME}) and listed as one set run.
 *
 * @param name the configured set name
 * @param members configured database or directory names, in the order they are backed up
 * @param keepRoles {@code globals: roles} on the set: every database member keeps its roles, as if
 *     each said so itself
 */
public record SetConfig(String name, List<String> members, boolean keepRoles) {
    public SetConfig {
        members = List.copyOf(members);
    }

    public SetConfig(String name, List<String> members) {
        this(name, members, false);
    }
}

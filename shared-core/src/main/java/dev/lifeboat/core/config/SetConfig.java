package dev.lifeboat.core.config;

import java.util.List;

/**
 * A backup set: databases and directories that belong to one application and are backed up
 * together ({@code lifeboat backup create --set NAME}) and listed as one set run.
 *
 * @param name the configured set name
 * @param members configured database or directory names, in the order they are backed up
 */
public record SetConfig(String name, List<String> members) {
    public SetConfig {
        members = List.copyOf(members);
    }
}

package dev.lifeboat.core.engine;

import java.util.List;

/**
 * What a restore target looks like now.
 *
 * @param server the server the target lives on
 * @param exists whether the target database exists
 * @param tables the schema-qualified tables in it now (empty when it does not exist)
 */
public record DatabaseState(ServerInfo server, boolean exists, List<String> tables) {}

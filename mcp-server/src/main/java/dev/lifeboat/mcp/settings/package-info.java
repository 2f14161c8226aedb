/**
 * The {@code mcp:} section of lifeboat.yaml (bind address, port, allowed origins and hosts, tokens,
 * the unauthenticated-local opt-out, session limits), read here rather than in the core because only
 * this module opens a socket; the core loader only tolerates the key. Problems are reported all at
 * once, each naming its setting.
 */
package dev.lifeboat.mcp.settings;

/**
 * The running service as the use cases see it ({@code LifeboatContext}): configuration, shared
 * stores, engines, secrets, confirmations, audit and clock. Below every use case, above the ports.
 */
package dev.lifeboat.core.context;

/**
 * The store port: a dumb object store with documented contracts, declared capabilities and one
 * contract test that every adapter passes.
 */
package dev.lifeboat.core.store;

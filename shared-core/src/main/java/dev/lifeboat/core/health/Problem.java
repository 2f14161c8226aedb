package dev.lifeboat.core.health;

/**
 * One thing wrong with a source, and what to do about it.
 *
 * @param check which promise or fact it is about: "failure", "never", "rpo", "drill_every", "copies"
 * @param message what is wrong, with the numbers
 * @param next the next step to take
 */
public record Problem(String check, String message, NextStep next) {}

package dev.lifeboat.core.confirm;

/** What a destructive act will do, in plain words, with the single-use token that lets it run (null when it needs none). */
public interface Plan {
    /** The plan in plain words, for a person to read before approving it. */
    String summary();

    /** The token bound to exactly this plan, or null when carrying it out destroys nothing. */
    Confirmation confirmation();
}

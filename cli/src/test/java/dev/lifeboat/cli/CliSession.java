package dev.lifeboat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.core.base.CancelSignal;
import dev.lifeboat.core.base.Json;
import dev.lifeboat.core.testing.LiveService;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * The real commands, in-process, for one integration test: run with a {@link LiveService}'s environment
 * (HOME, the password), {@code PATH} and {@code LIFEBOAT_CONFIG}, every run kept so that
 * {@link #assertNoRunPrinted} can check that none printed a secret.
 */
final class CliSession {
    private final List<CliRun.Result> runs = new ArrayList<>();
    private final Map<String, String> env;

    /** Runs on {@code config} (written by {@code live}) with {@code live}'s environment. */
    CliSession(LiveService live, Path config) {
        env = new HashMap<>(live.env());
        env.put("PATH", System.getenv("PATH"));
        env.put("LIFEBOAT_CONFIG", config.toString());
    }

    /** The environment of a run with {@code name} set to {@code value}. */
    Map<String, String> envWith(String name, String value) {
        Map<String, String> changed = new HashMap<>(env);
        changed.put(name, value);
        return changed;
    }

    /** The environment of a run on another configuration file. */
    Map<String, String> on(Path config) {
        return envWith("LIFEBOAT_CONFIG", config.toString());
    }

    /** {@code lifeboat args...}. */
    CliRun.Result run(String... args) {
        return run(env, args);
    }

    /** {@code lifeboat args...} with another environment. */
    CliRun.Result run(Map<String, String> environment, String... args) {
        return record(CliRun.run(environment, args));
    }

    /** {@code lifeboat args...} at {@code terminal}. */
    CliRun.Result run(Terminal terminal, String... args) {
        return record(CliRun.run(new CliEnvironment(env, terminal, new CancelSignal(), "tester"), args));
    }

    /** {@code lifeboat args...} with another environment, at {@code terminal}. */
    CliRun.Result run(Map<String, String> environment, Terminal terminal, String... args) {
        return record(CliRun.run(new CliEnvironment(environment, terminal, new CancelSignal(), "tester"), args));
    }

    private CliRun.Result record(CliRun.Result r) {
        runs.add(r);
        return r;
    }

    /** Asserts that something ran and that no run printed {@code secret}, on stdout or stderr. */
    void assertNoRunPrinted(String secret) {
        assertThat(runs).isNotEmpty();
        for (CliRun.Result r : runs) {
            assertThat(r.all()).doesNotContain(secret);
        }
    }

    /** A run's stdout as JSON (its {@code --json} output). */
    static JsonNode json(CliRun.Result r) {
        return Json.mapper().readTree(r.out());
    }

    /** A person at a terminal who answers every question with {@code answer}. */
    static Terminal typing(String answer) {
        return typing(answer, new ArrayList<>());
    }

    /** A person at a terminal who answers every question with {@code answer}; the questions go to {@code prompts}. */
    static Terminal typing(String answer, List<String> prompts) {
        return new Terminal() {
            @Override
            public boolean interactive() {
                return true;
            }

            @Override
            public boolean stderrIsTerminal() {
                return true;
            }

            @Override
            public String readLine(String prompt) {
                prompts.add(prompt);
                return answer;
            }
        };
    }
}

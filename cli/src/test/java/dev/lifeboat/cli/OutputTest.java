package dev.lifeboat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.core.base.Redactor;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OutputTest {
    record Item(String id, String note) {}

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private Output output(boolean json) {
        return new Output(new PrintWriter(out), new PrintWriter(err), json);
    }

    @Test
    void aStreamedListIsTheSameDocumentAsTheWholeOne() {
        List<Item> items = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            items.add(new Item("app-" + i, "note " + i));
        }
        output(true).resultList("backups", items, () -> "unused");
        assertThat(out.toString()).isEqualTo(Json.write(Map.of("backups", items)) + System.lineSeparator());
    }

    @Test
    void anEmptyStreamedListIsAnEmptyArray() {
        output(true).resultList("backups", List.of(), () -> "unused");
        assertThat(out.toString()).isEqualTo(Json.write(Map.of("backups", List.of())) + System.lineSeparator());
    }

    @Test
    void everyItemOfAStreamedListIsRedacted() {
        String secret = "Streamed-Canary-" + System.nanoTime();
        Redactor.global().register(secret);
        List<Item> items = List.of(
                new Item("app-1", "the password is " + secret),
                new Item("app-2", "password=hunter22 in a label"),
                new Item("app-3", "postgresql://u:" + secret + "@db/app"));
        output(true).resultList("backups", items, () -> "unused");
        assertThat(out.toString())
                .doesNotContain(secret)
                .doesNotContain("hunter22")
                .contains("app-1", "app-3");
        assertThat(dev.lifeboat.core.base.Json.mapper()
                        .readTree(out.toString())
                        .get("backups")
                        .size())
                .isEqualTo(3);
    }

    @Test
    void withoutJsonAListPrintsItsText() {
        output(false).resultList("backups", List.of(new Item("a", "b")), () -> "the table");
        assertThat(out.toString()).isEqualTo("the table" + System.lineSeparator());
    }

    @Test
    void textForPeopleCannotTakeTheTerminalOver() {
        // a label planted in a manifest: a window-title escape, a colour, a bidi override
        String hostile = "db\u001b]0;pwned\u0007 \u001b[31mred\u001b[0m \u202eexe.txt\u202c";
        output(false).result(null, "label " + hostile + "\nnext line\ttab");
        output(false).resultList("backups", List.of(), () -> hostile);
        output(false).note(hostile);
        output(false).error("NOT_FOUND", hostile, hostile);
        String printed = out.toString() + err.toString();
        assertThat(printed)
                .doesNotContain("\u001b", "\u0007", "\u202e", "\u202c")
                .contains("\\u001b]0;pwned\\u0007", "\\u202eexe.txt", "next line\ttab");
    }

    @Test
    void jsonKeepsTheDataAsItIs() {
        output(true).result(Map.of("label", "a\u202eb"), "ignored");
        assertThat(dev.lifeboat.core.base.Json.mapper()
                        .readTree(out.toString())
                        .get("label")
                        .asString())
                .isEqualTo("a\u202eb");
    }
}

package dev.lifeboat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TableTest {
    @Test
    void aCellIsOneLineAsTheRegexMadeIt() {
        for (String s : new String[] {
            "", "plain", "a\nb", "a\r\nb", "\t", "a\t\t b", "\n\n", "end\n", "\rstart", "é\n😀\tz", "a \n b"
        }) {
            assertThat(Table.oneLine(s)).as(s).isEqualTo(s.replaceAll("[\\r\\n\\t]+", " "));
        }
        String plain = "no breaks here";
        assertThat(Table.oneLine(plain)).isSameAs(plain);
    }

    @Test
    void rowsAreOneLineEach() {
        String out = new Table("id", "label")
                .row("a", "two\nlines")
                .row(null, "tab\there")
                .render();
        assertThat(out.lines()).hasSize(3);
        assertThat(out).contains("two lines", "tab here", "-");
    }
}

package dev.lifeboat.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/** {@link YamlTree} must give what {@code new YAMLMapper().readTree} gives: the same tree or the same error. */
class YamlTreeTest {
    private static final Path ROOT = Path.of("..");

    /** Shapes a configuration could take, and the ones the plain reader must leave to the mapper. */
    private static final List<String> CASES = List.of(
            "",
            "\n",
            "# only a comment\n",
            "---\n",
            "---\na: 1\n",
            "a: 1\n---\nb: 2\n",
            "a: 1\n...\n",
            "42\n",
            "just text\n",
            "- a\n- b\n",
            "~\n",
            "a: 1\na: 2\n",
            "a: {b: 1, b: 2}\n",
            "a:\n",
            "a: ~\nb: null\nc: Null\nd: NULL\ne: ''\n",
            "a: true\nb: false\nc: True\nd: yes\ne: no\nf: on\ng: off\n",
            "port: 5432\nbig: 4294967296\nhuge: 123456789012345678901234567890\nneg: -7\nmin: -2147483648\n",
            "max: 2147483647\nover: 2147483648\nlmin: -9223372036854775808\nlover: 9223372036854775808\n",
            "hex: 0x1F\noct: 0o17\nold: 017\nunderscore: 1_000\nplus: +5\n",
            "f: 1.5\ng: 1e3\nh: .inf\ni: -.Inf\nj: .nan\nk: 0.0\n",
            "s: '5432'\nt: \"true\"\nu: !!str 12\nv: !!int \"12\"\nw: !!float 1\n",
            "bin: !!binary aGVsbG8=\n",
            "base: &b {host: h, port: 1}\nother: *b\n",
            "base: &b\n  host: h\nother:\n  <<: *b\n  port: 2\n",
            "a: &x 1\nb: *x\n",
            "list: [1, two, 3.0, null, {k: v}, [x]]\n",
            "list:\n  - a: 1\n    b: [2]\n  - - nested\n",
            "empty_map: {}\nempty_list: []\n",
            "text: |\n  line one\n  line two\nfolded: >\n  a\n  b\n",
            "quoted: \"tab\\there \\u00e9 \\n\"\nsingle: 'it''s'\n",
            "unicode: Überweisung — ✓\n",
            "\"quoted key\": 1\n? complex\n: 2\n",
            "1: numeric key\ntrue: bool key\n~: null key\n",
            "a: [1, 2\n",
            "a: b: c\n",
            "a:\n  - b\n c: d\n",
            "\ta: 1\n",
            "a: 'unterminated\n",
            "key: value # comment\n# trailing\n",
            "databases:\n  app:\n    host: db\n    port: 5432\n    password: ${APP_PW}\nstores:\n  local:\n"
                    + "    uri: file:///var/lib/lifeboat\n",
            "deep: " + "[".repeat(70) + "]".repeat(70) + "\n",
            "deep:\n" + nested(70));

    private static String nested(int depth) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < depth; i++) {
            b.append("  ".repeat(i + 1)).append("k").append(i).append(":\n");
        }
        return b.append("  ".repeat(depth + 1)).append("leaf\n").toString();
    }

    @Test
    void everyShapeReadsAsTheMapperReadsIt() {
        CASES.forEach(YamlTreeTest::sameAsMapper);
    }

    @Test
    void everyConfigurationOfTheProjectReadsAsTheMapperReadsItAndTakesThePlainPath() throws IOException {
        List<String> documents = projectYaml();
        assertThat(documents).hasSizeGreaterThan(15);
        int plain = 0;
        for (String text : documents) {
            sameAsMapper(text);
            if (YamlTree.plain(text) != null) {
                plain++;
            }
        }
        // the point of the reader: real configurations do not fall back to the mapper
        assertThat(YamlTree.plain(Files.readString(ROOT.resolve("examples/lifeboat.yaml"))))
                .isNotNull();
        assertThat(plain).isGreaterThan(documents.size() / 2);
    }

    @Test
    void textBlocksOfTheTestsReadAsTheMapperReadsThem() throws IOException {
        Pattern block = Pattern.compile("\"\"\"\\n(.*?)\"\"\"", Pattern.DOTALL);
        int seen = 0;
        for (String module : List.of("shared-core", "cli", "mcp-server")) {
            try (Stream<Path> files = Files.walk(ROOT.resolve(module).resolve("src/test/java"))) {
                for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                    Matcher m = block.matcher(Files.readString(f));
                    while (m.find()) {
                        // a text block's incidental indentation, as the compiler strips it
                        sameAsMapper(m.group(1).stripIndent());
                        seen++;
                    }
                }
            }
        }
        assertThat(seen).isGreaterThan(20);
    }

    private static List<String> projectYaml() throws IOException {
        List<String> out = new ArrayList<>();
        out.add(Files.readString(ROOT.resolve("examples/lifeboat.yaml")));
        Pattern fence = Pattern.compile("```ya?ml\\n(.*?)```", Pattern.DOTALL);
        List<Path> docs = new ArrayList<>(List.of(ROOT.resolve("README.md")));
        try (Stream<Path> files = Files.list(ROOT.resolve("docs"))) {
            files.filter(p -> p.toString().endsWith(".md")).sorted().forEach(docs::add);
        }
        for (Path doc : docs) {
            Matcher m = fence.matcher(Files.readString(doc));
            while (m.find()) {
                out.add(m.group(1));
            }
        }
        return out;
    }

    private static void sameAsMapper(String text) {
        Object expected = outcome(() -> new YAMLMapper().readTree(text));
        Object actual = outcome(() -> YamlTree.read(text));
        assertThat(actual).as("read of:\n%s", text).isEqualTo(expected);
    }

    /** The tree with every node's class, or the error's class and message. */
    private static Object outcome(java.util.function.Supplier<JsonNode> read) {
        try {
            JsonNode n = read.get();
            return n == null ? "null" : described(n);
        } catch (RuntimeException e) {
            return e.getClass().getName() + ": " + e.getMessage();
        }
    }

    private static String described(JsonNode n) {
        StringBuilder b = new StringBuilder(n.getClass().getSimpleName()).append('(');
        if (n.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = n.properties().iterator(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                b.append(e.getKey()).append('=').append(described(e.getValue())).append(',');
            }
        } else if (n.isArray()) {
            n.values().forEach(v -> b.append(described(v)).append(','));
        } else {
            b.append(n);
        }
        return b.append(')').toString();
    }
}

package dev.lifeboat.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** A plain text table: columns padded to their widest cell, two spaces apart. */
public final class Table {
    private final List<String[]> rows = new ArrayList<>();
    private final int columns;

    public Table(String... headers) {
        this.columns = headers.length;
        rows.add(headers);
    }

    public Table row(Object... cells) {
        String[] r = new String[columns];
        for (int i = 0; i < columns; i++) {
            Object c = i < cells.length ? cells[i] : null;
            r[i] = c == null ? "-" : oneLine(c.toString());
        }
        rows.add(r);
        return this;
    }

    public String render() {
        int[] widths = new int[columns];
        for (String[] r : rows) {
            for (int i = 0; i < columns; i++) {
                widths[i] = Math.max(widths[i], r[i].length());
            }
        }
        StringBuilder b = new StringBuilder();
        for (String[] r : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < columns; i++) {
                line.append(r[i]);
                if (i < columns - 1) {
                    line.append(" ".repeat(widths[i] - r[i].length() + 2));
                }
            }
            b.append(line.toString().stripTrailing()).append('\n');
        }
        return b.substring(0, b.length() - 1);
    }

    private static final Pattern BREAKS = Pattern.compile("[\\r\\n\\t]+");

    // labels and names come from users and stores: keep one row on one line (compiled once, and only
    // run over a cell that has a break: a 10,000-row listing compiled the pattern for every cell)
    static String oneLine(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\r' || c == '\n' || c == '\t') {
                return BREAKS.matcher(s).replaceAll(" ");
            }
        }
        return s;
    }
}

package dev.lifeboat.core.base;

/**
 * Text for a person's terminal that cannot take the terminal over: a label read back from a
 * manifest may carry escape sequences (colours, cursor moves, window titles) or bidi overrides that
 * make a line read other than it is. Control characters other than newline and tab, and Unicode
 * format characters (bidi embeddings and overrides, zero-width joiners), are shown as {@code \\uXXXX}.
 */
public final class TerminalText {
    private TerminalText() {}

    /** {@code text} with every character that could change how the rest is shown escaped; null stays null. */
    public static String clean(String text) {
        if (text == null) {
            return null;
        }
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (unsafe(c)) {
                if (out == null) {
                    out = new StringBuilder(text.length() + 16).append(text, 0, i);
                }
                out.append(String.format("\\u%04x", (int) c));
            } else if (out != null) {
                out.append(c);
            }
        }
        return out == null ? text : out.toString();
    }

    /** Whether {@code c} changes how text is shown rather than being shown: a control or format character. */
    public static boolean unsafe(char c) {
        if (c == '\n' || c == '\t') {
            return false;
        }
        int type = Character.getType(c);
        return Character.isISOControl(c)
                || type == Character.FORMAT
                || type == Character.LINE_SEPARATOR
                || type == Character.PARAGRAPH_SEPARATOR;
    }
}

package dev.lifeboat.core.pipe;

import java.io.IOException;
import java.io.InputStream;

/** What the pipe's streams share. */
public final class Streams {
    private Streams() {}

    /**
     * {@link InputStream#read()} for a stream whose bulk {@code read} does the work: one byte (0 to
     * 255) read through {@code in.read(byte[], int, int)}, or -1 at the end.
     */
    public static int readOne(InputStream in) throws IOException {
        byte[] one = new byte[1];
        int n;
        do {
            n = in.read(one, 0, 1);
        } while (n == 0);
        return n == -1 ? -1 : one[0] & 0xff;
    }
}

package dev.lifeboat.core.base;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Random;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class HmacSha256Test {
    private static final HexFormat HEX = HexFormat.of();

    @Test
    void matchesRfc4231TestVectors() throws Exception {
        // RFC 4231 test cases 1, 2, 6 and 7: a short key, a key shorter than the output, and two keys
        // longer than the block (hashed first)
        assertThat(hex(repeat(0x0b, 20), "Hi There"))
                .isEqualTo("b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
        assertThat(HEX.formatHex(HmacSha256.of(
                        "Jefe".getBytes(StandardCharsets.US_ASCII),
                        "what do ya want for nothing?".getBytes(StandardCharsets.US_ASCII))))
                .isEqualTo("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
        assertThat(hex(repeat(0xaa, 131), "Test Using Larger Than Block-Size Key - Hash Key First"))
                .isEqualTo("60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
        assertThat(hex(
                        repeat(0xaa, 131),
                        "This is a test using a larger than block-size key and a larger than block-size data."
                                + " The key needs to be hashed before being used by the HMAC algorithm."))
                .isEqualTo("9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2");
    }

    @Test
    void agreesWithTheJdkMacForKeysAndMessagesAroundTheBlockSize() throws Exception {
        Random random = new Random(42);
        for (int keyLength : new int[] {0, 1, 31, 32, 63, 64, 65, 128, 200}) {
            for (int messageLength : new int[] {0, 1, 55, 56, 63, 64, 65, 1000}) {
                byte[] key = new byte[keyLength];
                byte[] message = new byte[messageLength];
                random.nextBytes(key);
                random.nextBytes(message);
                assertThat(HmacSha256.of(key, message))
                        .as("key %d bytes, message %d bytes", keyLength, messageLength)
                        .isEqualTo(jdk(keyLength == 0 ? null : key, message));
            }
        }
    }

    @Test
    void aMessageGivenInPiecesSignsAsTheWhole() throws Exception {
        byte[] key = "k".repeat(40).getBytes(StandardCharsets.US_ASCII);
        byte[] whole = "previous\nbody".getBytes(StandardCharsets.UTF_8);
        byte[] pieces = HmacSha256.keyed(key)
                .update("previous".getBytes(StandardCharsets.UTF_8))
                .update((byte) '\n')
                .update("body".getBytes(StandardCharsets.UTF_8))
                .done();
        assertThat(pieces).isEqualTo(HmacSha256.of(key, whole)).isEqualTo(jdk(key, whole));
    }

    @Test
    void theCallersKeyIsLeftAsItWas() {
        byte[] longKey = repeat(0x11, 100);
        byte[] shortKey = repeat(0x22, 16);
        HmacSha256.of(longKey, new byte[] {1});
        HmacSha256.of(shortKey, new byte[] {1});
        assertThat(longKey).isEqualTo(repeat(0x11, 100));
        assertThat(shortKey).isEqualTo(repeat(0x22, 16));
    }

    private static String hex(byte[] key, String message) {
        return HEX.formatHex(HmacSha256.of(key, message.getBytes(StandardCharsets.US_ASCII)));
    }

    /** javax.crypto.Mac's answer; an empty key is not a key to SecretKeySpec, so null stands for it. */
    private static byte[] jdk(byte[] key, byte[] message) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        if (key == null) {
            // HMAC pads any key to the block with zeros: an empty key is the same as one zero byte
            mac.init(new SecretKeySpec(new byte[1], "HmacSHA256"));
        } else {
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
        }
        return mac.doFinal(message);
    }

    private static byte[] repeat(int value, int n) {
        byte[] b = new byte[n];
        java.util.Arrays.fill(b, (byte) value);
        return b;
    }
}

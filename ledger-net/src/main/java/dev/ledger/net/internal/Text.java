package dev.ledger.net.internal;

import java.nio.charset.StandardCharsets;

/** Turns untrusted bytes into text that is safe to echo in a reply or a log line. */
public final class Text {
    /** Longer input is cut, so an error reply never echoes a whole oversized argument. */
    private static final int MAX_SHOWN = 64;

    private Text() {
    }

    /** Returns the bytes as printable ASCII: other bytes as {@code \xNN}, at most 64 bytes shown. */
    public static String printable(byte[] bytes, int offset, int length) {
        StringBuilder out = new StringBuilder(Math.min(length, MAX_SHOWN) + 8);
        int shown = Math.min(length, MAX_SHOWN);
        for (int i = offset; i < offset + shown; i++) {
            int b = bytes[i] & 0xff;
            if (b >= 0x20 && b < 0x7f && b != '\\') {
                out.append((char) b);
            } else {
                out.append(b == '\\' ? "\\\\" : String.format("\\x%02x", b));
            }
        }
        if (length > shown) {
            out.append("...");
        }
        return out.toString();
    }

    /** Returns the string as printable text, like {@link #printable(byte[], int, int)} of its UTF-8 bytes. */
    public static String printable(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return printable(bytes, 0, bytes.length);
    }
}

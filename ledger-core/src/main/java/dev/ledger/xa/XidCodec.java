package dev.ledger.xa;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import javax.transaction.xa.Xid;

/**
 * The one mapping between XA transaction branch ids and the bank's transaction ids: a branch is prepared, committed
 * and aborted at the bank under the id {@link #encode} gives, and {@link #decode} turns the bank's prepared ids back
 * into branch ids for {@code recover()}.
 *
 * <p>A bank's transaction id is 1 to 128 characters above the space character, while a branch id may carry up to
 * 132 bytes (format id, up to 64 bytes of global id, up to 64 of branch qualifier), which no ASCII text of 128
 * characters can hold. So there are two forms, chosen by the branch id alone, so that each branch id has exactly
 * one transaction id:
 * <ul>
 *   <li>readable, whenever it fits: {@code xa.<formatId>.<gtrid>.<bqual>}, the two byte strings in unpadded
 *       URL-safe Base64 (which has no dot);</li>
 *   <li>dense otherwise: {@code xa~} and the bytes (format id, the two lengths, global id, qualifier) packed 12 bits
 *       to a character from the CJK block U+4E00..U+5DFF, at most 90 characters.</li>
 * </ul>
 * Transaction ids that start otherwise (those of a {@link dev.ledger.tx.Coordinator}, say) are not branches, and
 * decode to {@code null}. Stateless.
 */
final class XidCodec {
    static final String READABLE = "xa.";
    static final String DENSE = "xa~";
    private static final int MAX_TX_ID = 128;
    private static final char DENSE_BASE = '\u4E00';
    private static final Base64.Encoder BASE64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder UNBASE64 = Base64.getUrlDecoder();

    private XidCodec() {
    }

    /**
     * Returns the bank's transaction id for a branch.
     *
     * @throws IllegalArgumentException if the global id is not 1 to 64 bytes or the qualifier is over 64
     */
    static String encode(Xid xid) {
        Objects.requireNonNull(xid, "xid");
        byte[] gtrid = xid.getGlobalTransactionId();
        byte[] bqual = xid.getBranchQualifier();
        if (gtrid == null || gtrid.length < 1 || gtrid.length > Xid.MAXGTRIDSIZE) {
            throw new IllegalArgumentException("a global transaction id is 1 to 64 bytes");
        }
        if (bqual == null || bqual.length > Xid.MAXBQUALSIZE) {
            throw new IllegalArgumentException("a branch qualifier is 0 to 64 bytes");
        }
        String readable = READABLE + xid.getFormatId() + '.' + BASE64.encodeToString(gtrid) + '.'
                + BASE64.encodeToString(bqual);
        return readable.length() <= MAX_TX_ID ? readable : dense(xid.getFormatId(), gtrid, bqual);
    }

    /** {@return the branch a transaction id stands for, or {@code null} if it is not one {@link #encode} makes} */
    static Xid decode(String txId) {
        try {
            if (txId.startsWith(READABLE)) {
                String[] parts = txId.substring(READABLE.length()).split("\\.", -1);
                if (parts.length != 3) {
                    return null;
                }
                return valid(new BranchId(Integer.parseInt(parts[0]), UNBASE64.decode(parts[1]),
                        UNBASE64.decode(parts[2])));
            }
            if (txId.startsWith(DENSE)) {
                return undense(txId.substring(DENSE.length()));
            }
        } catch (IllegalArgumentException | BufferUnderflowException notOurs) {
            return null; // NumberFormatException is an IllegalArgumentException
        }
        return null;
    }

    private static Xid valid(BranchId xid) {
        return xid.gtrid.length >= 1 && xid.gtrid.length <= Xid.MAXGTRIDSIZE && xid.bqual.length <= Xid.MAXBQUALSIZE
                ? xid : null;
    }

    private static String dense(int formatId, byte[] gtrid, byte[] bqual) {
        ByteBuffer bytes = ByteBuffer.allocate(6 + gtrid.length + bqual.length + 1); // + 1: a whole last group
        bytes.putInt(formatId).put((byte) gtrid.length).put((byte) bqual.length).put(gtrid).put(bqual);
        byte[] raw = bytes.array();
        int chars = ((raw.length - 1) * 8 + 11) / 12;
        StringBuilder text = new StringBuilder(DENSE.length() + chars).append(DENSE);
        for (int c = 0; c < chars; c++) {
            text.append((char) (DENSE_BASE + twelveBits(raw, c)));
        }
        return text.toString();
    }

    /** The c-th group of 12 bits: half of byte 3c/2 and a whole neighbour, depending on its parity. */
    private static int twelveBits(byte[] raw, int c) {
        int bit = c * 12;
        int at = bit / 8;
        int pair = (raw[at] & 0xFF) << 8 | (raw[at + 1] & 0xFF);
        return bit % 8 == 0 ? pair >>> 4 : pair & 0xFFF;
    }

    private static Xid undense(String chars) {
        byte[] raw = new byte[chars.length() * 12 / 8 + 2];
        for (int c = 0; c < chars.length(); c++) {
            int group = chars.charAt(c) - DENSE_BASE;
            if (group < 0 || group > 0xFFF) {
                return null;
            }
            int bit = c * 12;
            int at = bit / 8;
            if (bit % 8 == 0) {
                raw[at] |= (byte) (group >>> 4);
                raw[at + 1] |= (byte) ((group & 0xF) << 4);
            } else {
                raw[at] |= (byte) (group >>> 8);
                raw[at + 1] |= (byte) group;
            }
        }
        ByteBuffer in = ByteBuffer.wrap(raw);
        int formatId = in.getInt();
        byte[] gtrid = new byte[in.get() & 0xFF];
        byte[] bqual = new byte[in.get() & 0xFF];
        in.get(gtrid).get(bqual);
        return valid(new BranchId(formatId, gtrid, bqual));
    }

    /** A branch id decoded from the bank, as {@code recover()} returns it. Immutable: the arrays are copied. */
    static final class BranchId implements Xid {
        private final int formatId;
        private final byte[] gtrid;
        private final byte[] bqual;

        BranchId(int formatId, byte[] gtrid, byte[] bqual) {
            this.formatId = formatId;
            this.gtrid = gtrid.clone();
            this.bqual = bqual.clone();
        }

        @Override
        public int getFormatId() {
            return formatId;
        }

        @Override
        public byte[] getGlobalTransactionId() {
            return gtrid.clone();
        }

        @Override
        public byte[] getBranchQualifier() {
            return bqual.clone();
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Xid && sameBranch(this, (Xid) other);
        }

        @Override
        public int hashCode() {
            return 31 * (31 * formatId + Arrays.hashCode(gtrid)) + Arrays.hashCode(bqual);
        }

        @Override
        public String toString() {
            return encode(this);
        }
    }

    /** {@return whether two branch ids name the same branch, whatever their classes} */
    static boolean sameBranch(Xid a, Xid b) {
        return a.getFormatId() == b.getFormatId()
                && Arrays.equals(a.getGlobalTransactionId(), b.getGlobalTransactionId())
                && Arrays.equals(a.getBranchQualifier(), b.getBranchQualifier());
    }
}

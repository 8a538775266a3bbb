package dev.ledger.journal.internal;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.InputStream;
import java.nio.BufferOverflowException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.zip.CRC32C;

/**
 * The journal's file format, written down once: how a record is framed and encoded, and how a checkpoint file is
 * laid out. Everything is big-endian.
 *
 * <pre>
 * record     := length:int crc:int payload     crc = CRC32C(payload), 0 &lt; length &lt;= 1 MiB
 * payload    := type:byte field*               the fields of the record type, in declaration order
 * string     := length:unsigned-short byte*    UTF-8
 * postings   := count:int (account:int amount:long)*
 * boolean    := byte                           0 or 1
 *
 * identified := id:string payload              an operation applied under a client's id
 *
 * checkpoint := magic:int version:int number:long
 *               count:int (id:string balance:long)*
 *               count:int (txId:string postings)*
 *               count:int (id:string payload)*  version 2 on: the ids remembered, oldest first
 *               crc:int                        CRC32C of everything before it
 * </pre>
 *
 * <p>A payload decodes only if its type is known, every field is in range and no byte is left over. Stateless.
 */
final class RecordCodec {
    /** A record's length and checksum, before its payload. */
    static final int HEADER_BYTES = 8;
    /** The largest payload a record may have; a longer length field means the header is corrupt. */
    static final int MAX_PAYLOAD = 1 << 20;

    private static final int CHECKPOINT_MAGIC = 0x4C444350; // "LDCP"
    private static final int CHECKPOINT_VERSION = 2;
    /** Checkpoints before ids: read, never written. */
    private static final int CHECKPOINT_VERSION_WITHOUT_IDS = 1;
    private static final int POSTING_BYTES = Integer.BYTES + Long.BYTES;

    private static final byte ACCOUNT_OPENED = 1;
    private static final byte DEPOSITED = 2;
    private static final byte WITHDRAWN = 3;
    private static final byte TRANSFERRED = 4;
    private static final byte MULTI_LEG_TRANSFERRED = 5;
    private static final byte PREPARED = 6;
    private static final byte COMMITTED = 7;
    private static final byte ABORTED = 8;
    private static final byte DECIDED = 9;
    private static final byte IDENTIFIED = 10;
    private static final byte CHAINED = 11;

    private RecordCodec() {
    }

    /** Bytes that do not decode as a record or a checkpoint. The message says what is wrong, for a person. */
    static final class CorruptException extends Exception {
        private static final long serialVersionUID = 1L;

        CorruptException(String message) {
            super(message);
        }
    }

    /**
     * How far {@link #readRecords} got.
     *
     * @param validBytes the bytes of the whole, valid records read, from the start of the stream
     * @param problem why reading stopped before the end of the stream, or null if it reached the end cleanly
     */
    record ReadResult(long validBytes, String problem) {
    }

    /**
     * Writes {@code record}, framed, at {@code out}'s position, which it advances past the record.
     *
     * @param out a heap buffer
     * @param crc a checksum to reuse; reset here
     * @return false, having written nothing, if {@code out} has too little room: grow it and retry
     * @throws IllegalArgumentException if the record cannot be encoded (a payload over {@link #MAX_PAYLOAD}, a
     *     string over 65535 bytes); nothing was written
     */
    static boolean writeFramed(ByteBuffer out, JournalRecord record, CRC32C crc) {
        int start = out.position();
        if (out.remaining() < HEADER_BYTES) {
            return false;
        }
        try {
            out.position(start + HEADER_BYTES);
            writePayload(out, record);
        } catch (BufferOverflowException e) {
            out.position(start);
            if (out.capacity() - start >= HEADER_BYTES + MAX_PAYLOAD) {
                throw tooLarge(record);
            }
            return false;
        } catch (RuntimeException e) {
            out.position(start);
            throw e;
        }
        int length = out.position() - start - HEADER_BYTES;
        if (length > MAX_PAYLOAD) {
            out.position(start);
            throw tooLarge(record);
        }
        crc.reset();
        crc.update(out.array(), out.arrayOffset() + start + HEADER_BYTES, length);
        out.putInt(start, length);
        out.putInt(start + Integer.BYTES, (int) crc.getValue());
        return true;
    }

    private static IllegalArgumentException tooLarge(JournalRecord record) {
        return new IllegalArgumentException("a " + record.getClass().getSimpleName()
                + " record is larger than the journal's limit of " + MAX_PAYLOAD + " bytes");
    }

    private static void writePayload(ByteBuffer out, JournalRecord record) {
        if (record instanceof JournalRecord.AccountOpened opened) {
            out.put(ACCOUNT_OPENED).putInt(opened.account());
            putString(out, opened.id());
            out.putLong(opened.initialBalance());
        } else if (record instanceof JournalRecord.Deposited deposited) {
            out.put(DEPOSITED).putInt(deposited.account()).putLong(deposited.amount());
        } else if (record instanceof JournalRecord.Withdrawn withdrawn) {
            out.put(WITHDRAWN).putInt(withdrawn.account()).putLong(withdrawn.amount());
        } else if (record instanceof JournalRecord.Transferred transferred) {
            out.put(TRANSFERRED).putInt(transferred.from()).putInt(transferred.to()).putLong(transferred.amount());
        } else if (record instanceof JournalRecord.MultiLegTransferred multiLeg) {
            out.put(MULTI_LEG_TRANSFERRED);
            putPostings(out, multiLeg.postings());
        } else if (record instanceof JournalRecord.Prepared prepared) {
            out.put(PREPARED);
            putPreparedFields(out, prepared);
        } else if (record instanceof JournalRecord.Committed committed) {
            out.put(COMMITTED);
            putString(out, committed.txId());
        } else if (record instanceof JournalRecord.Aborted aborted) {
            out.put(ABORTED);
            putString(out, aborted.txId());
        } else if (record instanceof JournalRecord.Identified identified) {
            out.put(IDENTIFIED);
            putString(out, identified.id());
            writePayload(out, identified.applied());
        } else if (record instanceof JournalRecord.Chained chained) {
            out.put(CHAINED).putInt(chained.links().size());
            for (JournalRecord link : chained.links()) {
                writePayload(out, link);
            }
        } else if (record instanceof JournalRecord.Decided decided) {
            out.put(DECIDED);
            putString(out, decided.txId());
            out.put(decided.commit() ? (byte) 1 : (byte) 0);
        } else {
            throw new IllegalArgumentException("no encoding for " + record.getClass().getName());
        }
    }

    /**
     * Decodes one payload, all of {@code in}'s remaining bytes.
     *
     * @param in a heap buffer holding exactly the payload
     * @throws CorruptException if the type is unknown, a field is out of range, or bytes are missing or left over
     */
    static JournalRecord decode(ByteBuffer in) throws CorruptException {
        try {
            JournalRecord record = readPayload(in);
            if (in.hasRemaining()) {
                throw new CorruptException(in.remaining() + " bytes left over after a "
                        + record.getClass().getSimpleName() + " record");
            }
            return record;
        } catch (BufferUnderflowException e) {
            throw new CorruptException("the payload ends inside its record");
        }
    }

    /** Reads one payload, type and fields, from {@code in}'s position on. */
    private static JournalRecord readPayload(ByteBuffer in) throws CorruptException {
        byte type = in.get();
        return switch (type) {
                case ACCOUNT_OPENED -> new JournalRecord.AccountOpened(in.getInt(), getString(in), in.getLong());
                case DEPOSITED -> new JournalRecord.Deposited(in.getInt(), in.getLong());
                case WITHDRAWN -> new JournalRecord.Withdrawn(in.getInt(), in.getLong());
                case TRANSFERRED -> new JournalRecord.Transferred(in.getInt(), in.getInt(), in.getLong());
                case MULTI_LEG_TRANSFERRED -> new JournalRecord.MultiLegTransferred(getPostings(in));
                case PREPARED -> getPreparedFields(in);
                case COMMITTED -> new JournalRecord.Committed(getString(in));
                case ABORTED -> new JournalRecord.Aborted(getString(in));
                case DECIDED -> new JournalRecord.Decided(getString(in), getBoolean(in));
                case IDENTIFIED -> getIdentifiedFields(in);
                case CHAINED -> getChainedFields(in);
                default -> throw new CorruptException("unknown record type " + type);
            };
    }

    private static JournalRecord.Chained getChainedFields(ByteBuffer in) throws CorruptException {
        int count = in.getInt();
        if (count < 1 || count > in.remaining()) {
            throw new CorruptException("a chain of " + count + " links in " + in.remaining() + " bytes");
        }
        List<JournalRecord> links = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            links.add(readPayload(in));
        }
        try {
            return new JournalRecord.Chained(links);
        } catch (IllegalArgumentException e) {
            throw new CorruptException(e.getMessage());
        }
    }

    private static JournalRecord.Identified getIdentifiedFields(ByteBuffer in) throws CorruptException {
        String id = getString(in);
        JournalRecord applied = readPayload(in);
        try {
            return new JournalRecord.Identified(id, applied);
        } catch (IllegalArgumentException e) {
            throw new CorruptException(e.getMessage());
        }
    }

    /**
     * Reads framed records from {@code in} until its end or the first record that is torn or corrupt.
     *
     * @param sink receives every valid record, in order
     * @return how many bytes of valid records were read, and why reading stopped early, if it did
     * @throws IOException if {@code in} cannot be read
     */
    static ReadResult readRecords(InputStream in, Consumer<? super JournalRecord> sink) throws IOException {
        byte[] header = new byte[HEADER_BYTES];
        byte[] payload = new byte[256];
        CRC32C crc = new CRC32C();
        long offset = 0;
        while (true) {
            int headerRead = in.readNBytes(header, 0, HEADER_BYTES);
            if (headerRead == 0) {
                return new ReadResult(offset, null);
            }
            if (headerRead < HEADER_BYTES) {
                return new ReadResult(offset, "the record header is cut short");
            }
            ByteBuffer fields = ByteBuffer.wrap(header);
            int length = fields.getInt();
            int checksum = fields.getInt();
            if (length <= 0 || length > MAX_PAYLOAD) {
                return new ReadResult(offset, "the record length " + length + " is invalid");
            }
            if (payload.length < length) {
                payload = new byte[Math.max(length, Math.min(MAX_PAYLOAD, 2 * payload.length))];
            }
            if (in.readNBytes(payload, 0, length) < length) {
                return new ReadResult(offset, "the record runs past the end of the file");
            }
            crc.reset();
            crc.update(payload, 0, length);
            if ((int) crc.getValue() != checksum) {
                return new ReadResult(offset, "the record's checksum does not match");
            }
            JournalRecord record;
            try {
                record = decode(ByteBuffer.wrap(payload, 0, length));
            } catch (CorruptException e) {
                return new ReadResult(offset, "the record does not decode: " + e.getMessage());
            }
            sink.accept(record);
            offset += HEADER_BYTES + length;
        }
    }

    /**
     * Writes a checkpoint file's content to {@code channel}, streaming: the state is never encoded whole in memory.
     *
     * @param number the checkpoint's number, the segment it precedes
     * @throws IOException if {@code channel} cannot be written
     * @throws IllegalArgumentException if a string in {@code state} is over 65535 bytes
     */
    static void writeCheckpoint(WritableByteChannel channel, long number, Checkpoint state) throws IOException {
        ChecksummedWriter out = new ChecksummedWriter(channel);
        out.put(buffer -> buffer.putInt(CHECKPOINT_MAGIC).putInt(CHECKPOINT_VERSION).putLong(number)
                .putInt(state.accounts().size()));
        for (Checkpoint.AccountState account : state.accounts()) {
            out.put(buffer -> {
                putString(buffer, account.id());
                buffer.putLong(account.balance());
            });
        }
        out.put(buffer -> buffer.putInt(state.prepared().size()));
        for (JournalRecord.Prepared prepared : state.prepared()) {
            out.put(buffer -> putPreparedFields(buffer, prepared));
        }
        out.put(buffer -> buffer.putInt(state.ids().size()));
        for (JournalRecord.Identified identified : state.ids()) {
            out.put(buffer -> {
                putString(buffer, identified.id());
                writePayload(buffer, identified.applied());
            });
        }
        out.finish();
    }

    /**
     * Decodes a checkpoint file's content.
     *
     * @param bytes the whole file
     * @param expectedNumber the number in the file's name, which the content must repeat
     * @throws CorruptException if the checksum does not hold or the content does not decode exactly
     */
    static Checkpoint readCheckpoint(byte[] bytes, long expectedNumber) throws CorruptException {
        int body = bytes.length - Integer.BYTES;
        if (body < 2 * Integer.BYTES + Long.BYTES) {
            throw new CorruptException("the file is too short (" + bytes.length + " bytes)");
        }
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, body);
        if ((int) crc.getValue() != ByteBuffer.wrap(bytes).getInt(body)) {
            throw new CorruptException("the checksum does not match");
        }
        ByteBuffer in = ByteBuffer.wrap(bytes, 0, body);
        try {
            if (in.getInt() != CHECKPOINT_MAGIC) {
                throw new CorruptException("it is not a checkpoint file");
            }
            int version = in.getInt();
            if (version != CHECKPOINT_VERSION && version != CHECKPOINT_VERSION_WITHOUT_IDS) {
                throw new CorruptException("unknown checkpoint format version " + version);
            }
            long number = in.getLong();
            if (number != expectedNumber) {
                throw new CorruptException("it holds checkpoint " + number + ", not " + expectedNumber);
            }
            int accountCount = getCount(in, Short.BYTES + Long.BYTES, "accounts");
            List<Checkpoint.AccountState> accounts = new ArrayList<>(accountCount);
            for (int i = 0; i < accountCount; i++) {
                accounts.add(new Checkpoint.AccountState(getString(in), in.getLong()));
            }
            int preparedCount = getCount(in, Short.BYTES + Integer.BYTES, "prepared transactions");
            List<JournalRecord.Prepared> prepared = new ArrayList<>(preparedCount);
            for (int i = 0; i < preparedCount; i++) {
                prepared.add(getPreparedFields(in));
            }
            List<JournalRecord.Identified> ids = new ArrayList<>();
            if (version != CHECKPOINT_VERSION_WITHOUT_IDS) {
                int idCount = getCount(in, Short.BYTES + 1, "ids");
                for (int i = 0; i < idCount; i++) {
                    ids.add(getIdentifiedFields(in));
                }
            }
            if (in.hasRemaining()) {
                throw new CorruptException(in.remaining() + " bytes left over");
            }
            return new Checkpoint(accounts, prepared, ids);
        } catch (BufferUnderflowException e) {
            throw new CorruptException("the content ends early");
        }
    }

    /** Writes every byte of {@code buffer}'s remaining ones; a channel may take fewer per call. */
    static void writeFully(WritableByteChannel channel, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }

    private static void putPreparedFields(ByteBuffer out, JournalRecord.Prepared prepared) {
        putString(out, prepared.txId());
        putPostings(out, prepared.postings());
    }

    private static JournalRecord.Prepared getPreparedFields(ByteBuffer in) throws CorruptException {
        return new JournalRecord.Prepared(getString(in), getPostings(in));
    }

    private static void putString(ByteBuffer out, String value) {
        byte[] bytes = value.getBytes(UTF_8);
        if (bytes.length > 0xFFFF) {
            throw new IllegalArgumentException("a string of " + bytes.length
                    + " UTF-8 bytes is longer than the journal's limit of 65535");
        }
        out.putShort((short) bytes.length).put(bytes);
    }

    private static String getString(ByteBuffer in) throws CorruptException {
        int length = Short.toUnsignedInt(in.getShort());
        if (length > in.remaining()) {
            throw new CorruptException("a string of " + length + " bytes runs past the payload");
        }
        String value = new String(in.array(), in.arrayOffset() + in.position(), length, UTF_8);
        in.position(in.position() + length);
        return value;
    }

    private static boolean getBoolean(ByteBuffer in) throws CorruptException {
        byte value = in.get();
        if (value != 0 && value != 1) {
            throw new CorruptException("a boolean byte is " + value);
        }
        return value == 1;
    }

    private static void putPostings(ByteBuffer out, List<Posting> postings) {
        out.putInt(postings.size());
        for (int i = 0; i < postings.size(); i++) {
            Posting posting = postings.get(i);
            out.putInt(posting.account()).putLong(posting.amount());
        }
    }

    private static List<Posting> getPostings(ByteBuffer in) throws CorruptException {
        int count = getCount(in, POSTING_BYTES, "postings");
        Posting[] postings = new Posting[count];
        for (int i = 0; i < count; i++) {
            postings[i] = new Posting(in.getInt(), in.getLong());
        }
        return List.of(postings);
    }

    /** Reads a list's count, checked against the bytes left, so a corrupt count cannot allocate a huge list. */
    private static int getCount(ByteBuffer in, int minElementBytes, String what) throws CorruptException {
        int count = in.getInt();
        if (count < 0 || count > in.remaining() / minElementBytes) {
            throw new CorruptException("a list of " + count + " " + what + " does not fit in what is left");
        }
        return count;
    }

    /** Streams items to a channel through one buffer and appends the CRC32C of everything written. */
    private static final class ChecksummedWriter {
        private final WritableByteChannel channel;
        private final CRC32C crc = new CRC32C();
        private ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);

        ChecksummedWriter(WritableByteChannel channel) {
            this.channel = channel;
        }

        /** Encodes one item into the buffer, draining it first, or growing it, if the item does not fit. */
        void put(Consumer<ByteBuffer> item) throws IOException {
            while (true) {
                int start = buffer.position();
                try {
                    item.accept(buffer);
                    return;
                } catch (BufferOverflowException e) {
                    buffer.position(start);
                    if (start == 0) {
                        buffer = ByteBuffer.allocate(2 * buffer.capacity()); // one item larger than the buffer
                    } else {
                        drain();
                    }
                }
            }
        }

        void finish() throws IOException {
            drain();
            buffer.putInt((int) crc.getValue()).flip();
            writeFully(channel, buffer);
        }

        private void drain() throws IOException {
            buffer.flip();
            crc.update(buffer.array(), buffer.arrayOffset(), buffer.limit());
            writeFully(channel, buffer);
            buffer.clear();
        }
    }
}

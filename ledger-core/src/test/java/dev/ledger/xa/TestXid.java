package dev.ledger.xa;

import java.nio.ByteBuffer;
import java.util.Arrays;
import javax.transaction.xa.Xid;

/** A branch id as a transaction manager would make one, with value equality, for tests. */
record TestXid(int formatId, byte[] gtrid, byte[] bqual) implements Xid {
    /** {@return a branch of global transaction {@code n}, format 4711, with an 8-byte global id and qualifier} */
    static TestXid of(long n) {
        return new TestXid(4711, ByteBuffer.allocate(8).putLong(n).array(), ByteBuffer.allocate(8).putLong(~n).array());
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
        return other instanceof Xid && XidCodec.sameBranch(this, (Xid) other);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * formatId + Arrays.hashCode(gtrid)) + Arrays.hashCode(bqual);
    }
}

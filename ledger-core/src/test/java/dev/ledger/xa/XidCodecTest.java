package dev.ledger.xa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import javax.transaction.xa.Xid;
import org.junit.jupiter.api.Test;

/** Branch ids and the bank's transaction ids map one to one, within the bank's id rule, both forms. */
class XidCodecTest {

    @Test
    void everyBranchIdRoundTripsIntoAValidTransactionId() {
        SplittableRandom random = new SplittableRandom(42);
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 20_000; i++) {
            byte[] gtrid = new byte[1 + random.nextInt(Xid.MAXGTRIDSIZE)];
            byte[] bqual = new byte[random.nextInt(Xid.MAXBQUALSIZE + 1)];
            random.nextBytes(gtrid);
            random.nextBytes(bqual);
            TestXid xid = new TestXid(random.nextInt(), gtrid, bqual);
            String txId = XidCodec.encode(xid);
            assertThat(txId.length()).as(txId).isBetween(1, 128);
            assertThat(txId.chars().noneMatch(c -> c <= ' ')).as(txId).isTrue();
            assertThat(txId).startsWith("xa");
            assertThat(XidCodec.decode(txId)).as(txId).isEqualTo(xid);
            assertThat(seen.add(txId)).as("one transaction id per branch id").isTrue();
        }
    }

    @Test
    void shortIdsAreReadableAndLongOnesDense() {
        assertThat(XidCodec.encode(new TestXid(1, new byte[] {-1, 0}, new byte[] {}))).isEqualTo("xa.1._wA.");
        String longest = XidCodec.encode(new TestXid(-1, new byte[64], new byte[64]));
        assertThat(longest).startsWith(XidCodec.DENSE).hasSize(3 + 90);
        assertThat(XidCodec.decode(longest)).isEqualTo(new TestXid(-1, new byte[64], new byte[64]));
    }

    @Test
    void otherTransactionIdsAreNotBranches() {
        for (String other : new String[] {"tx-1", "xa", "xa.", "xa.1.AA", "xa.x.AA.AA", "xa.1.AA.AA.AA", "xa.1.!.AA",
                "xa~", "xa~abc", "xa." + "1." + "A".repeat(90) + ".AA"}) {
            assertThat(XidCodec.decode(other)).as(other).isNull();
        }
        assertThat(XidCodec.decode("xa.1.AA.")).isEqualTo(new TestXid(1, new byte[1], new byte[0]));
    }

    @Test
    void malformedBranchIdsAreRefused() {
        assertThatThrownBy(() -> XidCodec.encode(new TestXid(1, new byte[0], new byte[1])))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> XidCodec.encode(new TestXid(1, new byte[1], new byte[65])))
                .isInstanceOf(IllegalArgumentException.class);
    }
}

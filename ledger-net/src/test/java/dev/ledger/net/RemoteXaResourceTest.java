package dev.ledger.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ledger.Bank;
import dev.ledger.xa.BankXAResource;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import javax.transaction.xa.XAException;
import javax.transaction.xa.XAResource;
import javax.transaction.xa.Xid;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A {@link BankXAResource} over a bank server, through a {@link RemoteParticipant}: what differs from a bank in
 * process is tested here (the JTA scenarios run over a server too, in the examples' XA tests): a branch prepared
 * through one resource is found by another's {@code recover} over {@code PREPARED} and completed; an unknown
 * account votes no at prepare; an unreachable server is {@code XAER_RMFAIL}, so the manager tries again later.
 */
class RemoteXaResourceTest {
    private Bank bank;
    private BankServer server;
    private RemoteParticipant first;
    private RemoteParticipant second;

    @BeforeEach
    void start() throws IOException {
        bank = Bank.builder().name("shop-bank").account("ana", 100).account("shop", 0).build();
        server = BankServer.builder(bank).port(0).build().start();
        first = participant(server.port());
        second = participant(server.port());
    }

    private static RemoteParticipant participant(int port) {
        return new RemoteParticipant("shop-bank", BankClient.builder().port(port)
                .connectTimeout(Duration.ofSeconds(2)));
    }

    @AfterEach
    void stop() {
        first.close();
        second.close();
        server.stop();
    }

    @Test
    void aBranchPreparedThroughOneResourceIsRecoveredAndCommittedThroughAnother() throws XAException {
        BankXAResource application = BankXAResource.of(first);
        Xid xid = new Branch(1);
        application.start(xid, XAResource.TMNOFLAGS);
        application.transfer("ana", "shop", 30);
        application.end(xid, XAResource.TMSUCCESS);
        assertThat(application.prepare(xid)).isEqualTo(XAResource.XA_OK);
        assertThat(bank.position("ana").held()).isEqualTo(30);

        BankXAResource recovery = BankXAResource.of(second); // as a restarted transaction manager would make it
        Xid[] prepared = recovery.recover(XAResource.TMSTARTRSCAN | XAResource.TMENDRSCAN);
        assertThat(prepared).hasSize(1);
        assertThat(Branch.same(prepared[0], xid)).isTrue();
        recovery.commit(prepared[0], false);
        assertThat(bank.balance("ana")).isEqualTo(70);
        assertThat(bank.balance("shop")).isEqualTo(30);
        assertThat(bank.position("ana").held()).isZero();
        assertThat(recovery.recover(XAResource.TMSTARTRSCAN)).isEmpty();
    }

    @Test
    void anUnknownAccountVotesNoWhenTheBranchPrepares() throws XAException {
        BankXAResource resource = BankXAResource.of(first);
        Xid xid = new Branch(2);
        resource.start(xid, XAResource.TMNOFLAGS);
        resource.transfer("ana", "nobody", 30);
        resource.end(xid, XAResource.TMSUCCESS);
        assertThatThrownBy(() -> resource.prepare(xid)).isInstanceOf(XAException.class)
                .satisfies(e -> assertThat(((XAException) e).errorCode).isEqualTo(XAException.XA_RBINTEGRITY))
                .hasMessageContaining("nobody");
        assertThat(bank.balance("ana")).isEqualTo(100);
        assertThat(bank.position("ana").held()).isZero();
    }

    @Test
    void anUnreachableServerIsAResourceManagerFailure() throws XAException {
        BankXAResource resource = BankXAResource.of(first);
        Xid xid = new Branch(3);
        resource.start(xid, XAResource.TMNOFLAGS);
        resource.transfer("ana", "shop", 30);
        resource.end(xid, XAResource.TMSUCCESS);
        assertThat(resource.prepare(xid)).isEqualTo(XAResource.XA_OK);
        server.stop();
        first.close();
        assertThatThrownBy(() -> resource.commit(xid, false)).isInstanceOf(XAException.class)
                .satisfies(e -> assertThat(((XAException) e).errorCode).isEqualTo(XAException.XAER_RMFAIL))
                .hasMessageContaining("shop-bank unreachable");
        assertThat(bank.position("ana").held()).as("still prepared, waiting for the manager").isEqualTo(30);
    }

    /** A branch id as a transaction manager makes one. */
    private record Branch(int formatId, byte[] gtrid, byte[] bqual) implements Xid {
        Branch(long n) {
            this(4711, ByteBuffer.allocate(8).putLong(n).array(), ByteBuffer.allocate(8).putLong(~n).array());
        }

        static boolean same(Xid a, Xid b) {
            return a.getFormatId() == b.getFormatId()
                    && Arrays.equals(a.getGlobalTransactionId(), b.getGlobalTransactionId())
                    && Arrays.equals(a.getBranchQualifier(), b.getBranchQualifier());
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
    }
}

package dev.ledger.examples.consortium;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;

/**
 * The security events of a consortium bank, for its operator: failed logins and lockouts, wrong consortium
 * secrets, unreachable peers and in-doubt resolutions. One logger, {@value #NAME}, through {@link System.Logger},
 * so the application chooses the backend (the {@code ledger} command routes it to logback). Tax ids are logged
 * masked ({@code 529.***.***-25}): enough to follow one person, not to read everyone's.
 *
 * <p>Stateless.
 */
final class SecurityLog {
    /** The logger's name. */
    static final String NAME = "ledger.security";
    private static final Logger LOG = System.getLogger(NAME);

    private SecurityLog() {
    }

    static void loginFailed(String bank, String taxId, String address, boolean lockedNow) {
        LOG.log(Level.WARNING, "{0}: failed login for {1} from {2}{3}", bank, TaxId.masked(taxId), address,
                lockedNow ? "; now locked out" : "");
    }

    static void loginRefused(String bank, String taxId, String address, long retryAfterSeconds) {
        LOG.log(Level.WARNING, "{0}: login for {1} from {2} refused while locked out ({3} s left)", bank,
                TaxId.masked(taxId), address, retryAfterSeconds);
    }

    static void wrongPeerSecret(String bank, String address) {
        LOG.log(Level.WARNING, "{0}: a connection from {1} sent a wrong consortium secret", bank, address);
    }

    static void peerRejectedSecret(String bank, String peer) {
        LOG.log(Level.ERROR, "{0}: bank {1} rejects this bank''s consortium secret; the banks'' secrets differ",
                bank, peer);
    }

    static void peerUnreachable(String bank, String why) {
        LOG.log(Level.WARNING, "{0}: {1}", bank, why);
    }

    static void inDoubt(String bank, String event) {
        LOG.log(Level.INFO, "{0}: {1}", bank, event);
    }
}

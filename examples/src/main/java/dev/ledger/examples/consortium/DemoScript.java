package dev.ledger.examples.consortium;

import dev.ledger.examples.consortium.Consortium.Member;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.stream.Collectors;

/**
 * The people and accounts of the consortium demo, and how a bank is set up with them: through its server, as a
 * customer would (REGISTER, LOGIN, OPENACCOUNT, DEPOSIT, WITHDRAW).
 *
 * <p>Immutable.
 */
final class DemoScript {
    /** A person: registered at the banks where they hold accounts, logged in at {@code home} to transfer. */
    record Owner(String name, String taxId, String password, String home) {
    }

    /** An account opened by its first owner, with an opening deposit. */
    record Opening(String bank, String account, AccountType type, List<Owner> owners, long deposit) {
        String address() {
            return bank + "/" + account;
        }

        boolean ownedBy(Owner owner) {
            return owners.contains(owner);
        }
    }

    /** Cash taken out after the openings, to show WITHDRAW. */
    record Withdrawal(Owner owner, String bank, String account, long amount) {
    }

    static final Owner ANA = new Owner("ana", "52998224725", "ana-password", "alpha");
    static final Owner BO = new Owner("bo", "39053344705", "bo-password", "alpha");
    static final Owner CY = new Owner("cy", "71428793860", "cy-password", "beta");
    static final Owner DEE = new Owner("dee", "11144477735", "dee-password", "beta");
    static final List<Owner> OWNERS = List.of(ANA, BO, CY, DEE);

    static final List<Opening> OPENINGS = List.of(
            new Opening("alpha", "ana", AccountType.INDIVIDUAL, List.of(ANA), 5_000),
            new Opening("alpha", "ana-bo", AccountType.JOINT, List.of(ANA, BO), 4_000),
            new Opening("alpha", "dee", AccountType.INDIVIDUAL, List.of(DEE), 1_000),
            new Opening("beta", "ana", AccountType.INDIVIDUAL, List.of(ANA), 3_000),
            new Opening("beta", "bo", AccountType.INDIVIDUAL, List.of(BO), 2_500),
            new Opening("beta", "cy-shop", AccountType.BUSINESS, List.of(CY), 6_000),
            new Opening("gamma", "ana", AccountType.INDIVIDUAL, List.of(ANA), 2_000),
            new Opening("gamma", "cy", AccountType.INDIVIDUAL, List.of(CY), 1_500),
            new Opening("gamma", "dee", AccountType.INDIVIDUAL, List.of(DEE), 3_500));

    static final Withdrawal CASH = new Withdrawal(ANA, "alpha", "ana", 500);

    /** The banks of the demo, in order; the last is the one stopped mid-run. */
    static final List<String> BANKS = List.of("alpha", "beta", "gamma");

    private DemoScript() {
    }

    /**
     * Sets a bank up: registers its owners, opens its accounts and pays in their deposits.
     *
     * @param bank the bank
     * @param timeout the timeout of each call
     * @return a line saying what was done
     */
    static String setUp(Member bank, Duration timeout) {
        List<Owner> owners = OWNERS.stream().filter(owner -> owner.home().equals(bank.name())
                || OPENINGS.stream().anyMatch(o -> o.bank().equals(bank.name()) && o.ownedBy(owner))).toList();
        Map<Owner, ConsortiumClient> sessions = new LinkedHashMap<>();
        List<String> done = new ArrayList<>();
        try {
            for (Owner owner : owners) {
                ConsortiumClient client = ConsortiumClient.connect(bank, timeout);
                sessions.put(owner, client);
                client.register(owner.taxId(), owner.password());
                client.login(owner.taxId(), owner.password());
            }
            done.add("registered " + owners.stream().map(Owner::name).collect(Collectors.joining(", ")));
            for (Opening opening : OPENINGS) {
                if (opening.bank().equals(bank.name())) {
                    List<String> coOwners = opening.owners().stream().skip(1).map(Owner::taxId).toList();
                    ConsortiumClient client = sessions.get(opening.owners().get(0));
                    client.openAccount(opening.account(), opening.type().label(), coOwners);
                    client.deposit(opening.account(), opening.deposit());
                    done.add("opened " + describe(opening));
                }
            }
            if (CASH.bank().equals(bank.name())) {
                OptionalLong left = sessions.get(CASH.owner()).withdraw(CASH.account(), CASH.amount());
                if (left.isEmpty()) {
                    throw new IllegalStateException("the demo's cash withdrawal was refused");
                }
                done.add(CASH.owner().name() + " withdrew " + CASH.amount() + " cash from " + CASH.bank() + "/"
                        + CASH.account());
            }
        } finally {
            sessions.values().forEach(ConsortiumClient::close);
        }
        return bank.name() + ": " + String.join("; ", done);
    }

    private static String describe(Opening opening) {
        String kind = opening.type() == AccountType.INDIVIDUAL ? ""
                : " (" + opening.type().label() + ": " + opening.owners().stream().map(Owner::name)
                        .collect(Collectors.joining(", ")) + ")";
        return opening.address() + kind + " " + opening.deposit();
    }
}

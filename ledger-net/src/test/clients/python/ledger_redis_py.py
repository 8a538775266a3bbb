#!/usr/bin/env python3
"""redis-py, with its default settings, against the ledger's RESP server.

Usage: ledger_redis_py.py HOST PORT [PASSWORD] [--mode ledger|plain|consortium] [--resp3]

Prints one line per step, "STEP <name> OK" or "STEP <name> FAIL <reason>", and exits 1 if any step failed.
--mode plain runs PING/SET/GET and a pipeline against a real Redis (to check the script's connection and AUTH
handling); --mode consortium runs REGISTER, LOGIN and ALLACCOUNTS against a consortium bank.
--resp3 passes protocol=3 (redis-py 5 and later).
"""
import sys

failures = 0


def step(name, action):
    global failures
    try:
        action()
        print(f"STEP {name} OK", flush=True)
    except Exception as error:  # noqa: BLE001 - every failure is a step's FAIL line
        failures += 1
        reason = f"{type(error).__name__}: {error}".replace("\n", " ")
        print(f"STEP {name} FAIL {reason}", flush=True)


def text(value):
    return value.decode() if isinstance(value, bytes) else str(value)


def check(condition, message):
    if not condition:
        raise AssertionError(message)


def expect_error(client, expected, *command):
    """Sends a command that must be refused with an error reply containing the expected text."""
    try:
        reply = client.execute_command(*command)
    except redis.exceptions.ResponseError as error:
        check(expected in str(error), f"{' '.join(command)}: error {error!r} does not say {expected!r}")
        return
    raise AssertionError(f"{' '.join(command)} replied {reply!r}, not an error")


def main():
    positional = [a for a in sys.argv[1:] if not a.startswith("--")]
    mode = "ledger"
    if "--mode" in sys.argv:
        mode = sys.argv[sys.argv.index("--mode") + 1]
        positional.remove(mode)
    host, port = positional[0], int(positional[1])
    password = positional[2] if len(positional) > 2 and positional[2] else None
    options = {}
    if "--resp3" in sys.argv:
        if int(redis.__version__.split(".")[0]) < 5:
            print(f"SKIP redis-py {redis.__version__} has no RESP3 (protocol=3 needs redis-py 5 or later)")
            return 3
        options["protocol"] = 3
    print(f"CLIENT redis-py {redis.__version__} {'protocol=3' if options else 'defaults'} mode={mode}", flush=True)

    client = redis.Redis(host=host, port=port, password=password, **options)
    state = {}

    def connect():
        connection = client.connection_pool.get_connection("PING")
        client.connection_pool.release(connection)

    step("connect", connect)
    step("ping", lambda: check(client.ping() is True, "PING did not reply PONG"))

    if mode == "plain":
        def set_get():
            check(client.set("ledger-client-test", "5") is True, "SET did not reply OK")
            check(client.get("ledger-client-test") == b"5", "GET did not return 5")

        def pipeline():
            pipe = client.pipeline(transaction=False)
            for _ in range(100):
                pipe.incrby("ledger-client-test", 1)
            replies = pipe.execute()
            check(replies[-1] == 105, f"last INCRBY replied {replies[-1]!r}")

        step("set-get", set_get)
        step("pipeline", pipeline)
        step("error-wrong-type", lambda: expect_error(client, "WRONGTYPE", "LPUSH", "ledger-client-test", "x"))
        step("error-arity", lambda: expect_error(client, "wrong number of arguments", "GET"))
    elif mode == "consortium":
        tax_ids = ["52998224725", "39053344705", "12345678909"]

        def register():
            for tax_id in tax_ids:
                reply = client.execute_command("REGISTER", tax_id, "password-" + tax_id)
                check(text(reply) == "OK" or reply is True, f"REGISTER {tax_id} replied {reply!r}")

        def login():
            reply = client.execute_command("LOGIN", tax_ids[0], "password-" + tax_ids[0])
            check(text(reply) == "OK" or reply is True, f"LOGIN replied {reply!r}")

        def all_accounts():
            reply = client.execute_command("ALLACCOUNTS")
            check(isinstance(reply, list) and len(reply) > 0, f"ALLACCOUNTS replied {reply!r}")
            for entry in reply:
                check(isinstance(entry, list) and len(entry) == 3, f"ALLACCOUNTS entry {entry!r}")

        def peer():
            reply = client.execute_command("INDOUBT")
            check(isinstance(reply, list), f"INDOUBT replied {reply!r}")

        if password:
            # With the consortium's secret as the password, the connection is a peer's: INDOUBT is for peers only.
            step("peer", peer)
        step("register", register)
        step("login", login)
        step("allaccounts", all_accounts)
        step("error-wrong-login", lambda: expect_error(client, "invalid tax id or password", "LOGIN", tax_ids[1], "not-the-password"))
        step("error-arity", lambda: expect_error(client, "wrong number of arguments", "LOGIN", tax_ids[1]))
    else:
        def transfer():
            state["before"] = client.execute_command("BALANCE", "2")
            reply = client.execute_command("TRANSFER", "1", "2", "5")
            check(text(reply) == "OK" or reply is True, f"TRANSFER replied {reply!r}")

        def balance():
            check("before" in state, "no balance before the transfer: the transfer step failed")
            reply = client.execute_command("BALANCE", "2")
            check(isinstance(reply, int), f"BALANCE replied {reply!r}, not an integer")
            check(reply == state["before"] + 5, f"BALANCE 2 is {reply}, expected {state['before']} + 5")

        def snapshot():
            reply = client.execute_command("SNAPSHOT")
            if isinstance(reply, dict):
                balances = {text(k): v for k, v in reply.items()}
            else:
                check(isinstance(reply, list) and len(reply) % 2 == 0, f"SNAPSHOT replied {reply!r}")
                balances = {text(reply[i]): reply[i + 1] for i in range(0, len(reply), 2)}
            check(all(isinstance(v, int) for v in balances.values()), f"SNAPSHOT balances {balances!r}")
            total = client.execute_command("TOTAL")
            check(sum(balances.values()) == total, f"SNAPSHOT sums to {sum(balances.values())}, TOTAL is {total}")
            state["ids"] = sorted(balances)
            state["total"] = total

        def pipeline():
            check(len(state.get("ids", [])) > 1, "no account ids to transfer between: the snapshot step failed")
            ids = state["ids"]
            pipe = client.pipeline(transaction=False)
            for i in range(100):
                pipe.execute_command("TRANSFER", ids[i % len(ids)], ids[(i + 1) % len(ids)], str(i * 37 + 1))
            replies = pipe.execute(raise_on_error=False)
            check(len(replies) == 100, f"{len(replies)} replies to 100 transfers")
            for reply in replies:
                if isinstance(reply, redis.exceptions.ResponseError):
                    check(str(reply) == "insufficient funds", f"a transfer was refused: {reply}")
                else:
                    check(text(reply) == "OK" or reply is True, f"a transfer replied {reply!r}")
            total = client.execute_command("TOTAL")
            check(total == state["total"], f"TOTAL moved from {state['total']} to {total}")

        step("transfer", transfer)
        step("balance", balance)
        step("snapshot", snapshot)
        step("pipeline", pipeline)
        step("error-unknown-account", lambda: expect_error(client, "UNKNOWN_ACCOUNT", "TRANSFER", "1", "no-such-account", "5"))
        step("error-arity", lambda: expect_error(client, "wrong number of arguments", "TRANSFER", "1", "2"))
    client.close()
    return 1 if failures else 0


if __name__ == "__main__":
    try:
        import redis
    except ImportError as missing:
        print(f"SKIP redis-py is not installed ({missing}); install with: apt-get install python3-redis")
        sys.exit(3)
    sys.exit(main())

package dev.ledger.net.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * What a connection's client has said about itself and what it last did, for {@code HELLO}, {@code CLIENT} and
 * {@code CLIENT LIST}: the protocol it asked for, its name, the library it runs on, when it connected.
 *
 * <p>Concurrency: written only by the connection's serving thread; the fields are volatile because another
 * connection's {@code CLIENT LIST} reads them, except {@code lastCommand}, written on every command: it is written
 * and read opaquely (no fence on the hot path), and a stale value in a listing is harmless.
 */
public final class ClientInfo {
    private static final VarHandle LAST_COMMAND;

    static {
        try {
            LAST_COMMAND = MethodHandles.lookup().findVarHandle(ClientInfo.class, "lastCommand", String.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final long createdMillis = System.currentTimeMillis();
    private volatile int protocol = 2;
    private volatile String name = "";
    private volatile String libName = "";
    private volatile String libVersion = "";
    /** The lower-case name of the last command run, shared by every call of it: setting it allocates nothing. */
    @SuppressWarnings("FieldMayBeFinal") // written through LAST_COMMAND
    private String lastCommand = "NULL";

    public int protocol() {
        return protocol;
    }

    void protocol(int protocol) {
        this.protocol = protocol;
    }

    public String name() {
        return name;
    }

    void name(String name) {
        this.name = name;
    }

    public String libName() {
        return libName;
    }

    void libName(String libName) {
        this.libName = libName;
    }

    public String libVersion() {
        return libVersion;
    }

    void libVersion(String libVersion) {
        this.libVersion = libVersion;
    }

    public long createdMillis() {
        return createdMillis;
    }

    public String lastCommand() {
        return (String) LAST_COMMAND.getOpaque(this);
    }

    void lastCommand(String lastCommand) {
        LAST_COMMAND.setOpaque(this, lastCommand);
    }
}

package dev.quiver.runner.mcp;

/**
 * Asks the person behind an MCP client to confirm a write, through the client (MCP elicitation). Writes stay under
 * human control: an agent cannot answer for the person, only the client's own interface can.
 */
public interface Confirmation {

    /** What the person answered. */
    enum Answer {
        /** Accepted the form and ticked "confirm". */
        CONFIRMED,
        /** Declined, cancelled, or accepted without confirming. */
        DECLINED
    }

    /** A client that cannot ask (no elicitation capability, or a stateless HTTP request). */
    Confirmation UNAVAILABLE = new Confirmation() {
        @Override
        public boolean available() {
            return false;
        }

        @Override
        public Answer ask(String message) {
            throw new IllegalStateException("this client cannot be asked");
        }
    };

    /** Whether the client can ask the person at all. */
    boolean available();

    /** Shows {@code message} to the person and waits for the answer. */
    Answer ask(String message);
}

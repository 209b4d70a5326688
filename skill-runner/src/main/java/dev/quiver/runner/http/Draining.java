package dev.quiver.runner.http;

import jakarta.inject.Singleton;

import java.util.concurrent.atomic.AtomicBoolean;

/** Set when the service begins its graceful shutdown: new requests are refused, running ones finish. */
@Singleton
final class Draining {

    private final AtomicBoolean active = new AtomicBoolean();

    boolean active() {
        return active.get();
    }

    void begin() {
        active.set(true);
    }
}

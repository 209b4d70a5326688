package dev.quiver.runner.plugins;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quiver.api.Simulator;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Starts the simulators the installed plugins bring ({@link Simulator}), for {@code sandbox} and
 * {@code serve --sandbox}. The first started (plugins in id order) prints its connection with id {@code sandbox};
 * every other with {@code <type>-sandbox}, so that two plugins' simulators never share an id.
 */
public final class Simulators {

    /** The id of the first simulator's connection. */
    public static final String FIRST_CONNECTION_ID = "sandbox";

    private Simulators() {
    }

    /** A plugin's simulator. */
    public record Offered(String pluginId, Simulator simulator) {
    }

    /** A started simulator with its connection, already given its id. */
    public record Started(String pluginId, Simulator.Running running, ObjectNode connection) implements AutoCloseable {
        @Override
        public void close() {
            running.close();
        }
    }

    /** The simulators of the plugins, or of the one plugin named ({@code null}: every plugin's). */
    public static List<Offered> offered(List<Contribution> contributions, String pluginId) {
        List<Offered> offered = new ArrayList<>();
        contributions.stream().sorted(Comparator.comparing(Contribution::pluginId))
                .filter(c -> pluginId == null || c.pluginId().equals(pluginId))
                .forEach(c -> c.simulators().forEach(s -> offered.add(new Offered(c.pluginId(), s))));
        return offered;
    }

    /**
     * Starts each simulator: the first on {@code port} (0: any free port), the others on free ports. On a failure
     * the ones already started are stopped.
     *
     * @throws IOException              when one cannot listen
     * @throws IllegalArgumentException when one refuses an option
     */
    public static List<Started> start(List<Offered> offered, int port, Map<String, String> options)
            throws IOException {
        List<Started> started = new ArrayList<>();
        try {
            for (Offered o : offered) {
                Simulator.Running running = o.simulator().start(
                        new Simulator.Options(started.isEmpty() ? port : 0, options));
                ObjectNode connection = running.connection();
                connection.put("id", started.isEmpty() ? FIRST_CONNECTION_ID
                        : Simulator.defaultConnectionId(o.simulator().connectionType()));
                started.add(new Started(o.pluginId(), running, connection));
            }
            return List.copyOf(started);
        } catch (IOException | RuntimeException | LinkageError e) {
            started.forEach(Started::close);
            throw e;
        }
    }
}

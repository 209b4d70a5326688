package dev.quiver.runner.cli;

import java.io.File;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Opens a URL in the user's browser, only when one is clearly there: on Linux and the BSDs {@code xdg-open} on the
 * PATH with a display ({@code DISPLAY} or {@code WAYLAND_DISPLAY}); on macOS {@code open}. Over SSH, in a container
 * or in a test there is no display, and the printed URL is the way. Never fails the command.
 */
final class Browsers {

    private Browsers() {
    }

    /** Whether a browser was started (the URL is printed regardless). */
    static boolean open(String url, Function<String, String> environment) {
        List<String> command = command(url, environment);
        if (command == null) {
            return false;
        }
        try {
            new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static List<String> command(String url, Function<String, String> environment) {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        if (os.contains("mac")) {
            return List.of("/usr/bin/open", url);
        }
        boolean display = present(environment.apply("DISPLAY")) || present(environment.apply("WAYLAND_DISPLAY"));
        String xdgOpen = display ? onPath("xdg-open", environment.apply("PATH")) : null;
        return xdgOpen == null ? null : List.of(xdgOpen, url);
    }

    private static boolean present(String value) {
        return value != null && !value.isBlank();
    }

    private static String onPath(String name, String path) {
        if (path == null) {
            return null;
        }
        for (String dir : path.split(File.pathSeparator)) {
            File file = new File(dir, name);
            if (file.canExecute()) {
                return file.getPath();
            }
        }
        return null;
    }
}

package dev.quiver.runner.testing;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Playwright;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A real headless Chromium, the machine's own (Debian's {@code chromium}, which {@code .ci/run} installs when
 * missing), driven by Playwright for Java; Playwright downloads no browser (the build sets
 * {@code PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1}). {@code QUIVER_TEST_CHROMIUM} names another executable.
 *
 * <p>A browser test fails, never skips, when there is no Chromium: the consent page and the console are what a user
 * meets, and a skipped test would hide that nobody looked.
 */
public final class Chromium implements AutoCloseable {

    private final Playwright playwright;
    private final Browser browser;

    private Chromium(Playwright playwright, Browser browser) {
        this.playwright = playwright;
        this.browser = browser;
    }

    /** Launches it headless; close it after the test. */
    public static Chromium launch() {
        Path executable = executable();
        Playwright playwright = Playwright.create(new Playwright.CreateOptions()
                .setEnv(java.util.Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        try {
            // --no-sandbox: CI runs as root, where Chromium's sandbox cannot start
            Browser browser = playwright.chromium().launch(new BrowserType.LaunchOptions()
                    .setExecutablePath(executable).setHeadless(true)
                    .setArgs(List.of("--no-sandbox", "--disable-dev-shm-usage")));
            return new Chromium(playwright, browser);
        } catch (RuntimeException e) {
            playwright.close();
            throw e;
        }
    }

    /** The browser, for new contexts and pages. */
    public Browser browser() {
        return browser;
    }

    /** Where screenshots go: {@code skill-runner/target/screenshots/<suite>}, kept as test output. */
    public static Path screenshots(String suite) {
        return Path.of("target", "screenshots", suite);
    }

    private static Path executable() {
        String configured = System.getenv("QUIVER_TEST_CHROMIUM");
        List<Path> candidates = configured != null && !configured.isBlank() ? List.of(Path.of(configured))
                : List.of(Path.of("/usr/bin/chromium"), Path.of("/usr/bin/chromium-browser"));
        return candidates.stream().filter(Files::isExecutable).findFirst().orElseThrow(() -> new IllegalStateException(
                "no Chromium at " + candidates + ": install it (apt-get install -y chromium; .ci/run does) or set"
                        + " QUIVER_TEST_CHROMIUM to its path"));
    }

    @Override
    public void close() {
        try {
            browser.close();
        } finally {
            playwright.close();
        }
    }
}

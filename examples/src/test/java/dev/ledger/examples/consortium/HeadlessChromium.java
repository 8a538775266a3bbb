package dev.ledger.examples.consortium;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The system's headless Chromium driven through the system's chromedriver (Debian: {@code apt-get install chromium
 * chromium-driver}), for browser tests. Both are found at fixed paths, which a system property or an environment
 * variable may change; Selenium Manager is never asked, so nothing is downloaded.
 */
final class HeadlessChromium {
    /** Where Debian's chromium package puts the browser. */
    static final String DEFAULT_BROWSER = "/usr/bin/chromium";
    /** Where Debian's chromium-driver package puts the driver. */
    static final String DEFAULT_DRIVER = "/usr/bin/chromedriver";

    private HeadlessChromium() {
    }

    /** {@return the browser: system property chrome.binary, else $CHROME_BINARY, else /usr/bin/chromium} */
    static Path browser() {
        return Path.of(setting("chrome.binary", "CHROME_BINARY", DEFAULT_BROWSER));
    }

    /** {@return the driver: system property webdriver.chrome.driver, else $CHROMEDRIVER, else /usr/bin/chromedriver} */
    static Path driver() {
        return Path.of(setting("webdriver.chrome.driver", "CHROMEDRIVER", DEFAULT_DRIVER));
    }

    /** {@return what of the browser and the driver is not installed, empty when both are} */
    static List<String> missing() {
        List<String> missing = new ArrayList<>();
        if (!Files.isExecutable(browser())) {
            missing.add("no Chromium browser at " + browser() + " (or set CHROME_BINARY)");
        }
        if (!Files.isExecutable(driver())) {
            missing.add("no chromedriver at " + driver() + " (or set CHROMEDRIVER)");
        }
        return missing;
    }

    /**
     * Skips the calling test, loudly, when the browser or the driver is not installed: a line starting
     * {@code SKIPPED: <test>:} on standard error names what is missing and how to install it.
     *
     * @param test the test's name, for the message
     */
    static void assumeInstalled(String test) {
        List<String> missing = missing();
        if (!missing.isEmpty()) {
            String message = "SKIPPED: " + test + ": " + String.join("; ", missing)
                    + ". Install them with: apt-get install chromium chromium-driver";
            System.err.println(message);
            Assumptions.abort(message);
        }
    }

    /**
     * Starts the browser, headless, with a profile of its own.
     *
     * @param profile an empty directory for the browser's profile
     * @param driverLog where the driver writes its log
     * @return the driver, to {@code quit()} when done
     */
    static ChromeDriver start(Path profile, Path driverLog) {
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(driver().toFile())
                .usingAnyFreePort()
                .withLogFile(driverLog.toFile())
                .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(new File(browser().toString()));
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--window-size=1280,900", "--user-data-dir=" + profile);
        options.setCapability("goog:loggingPrefs", Map.of("browser", "ALL"));
        return new ChromeDriver(service, options);
    }

    private static String setting(String property, String variable, String fallback) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            value = System.getenv(variable);
        }
        return value == null || value.isBlank() ? fallback : value;
    }
}

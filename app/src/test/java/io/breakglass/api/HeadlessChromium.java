package io.breakglass.api;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Playwright;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Debian's headless Chromium driven by Playwright for Java, which downloads no browser of its own.
 * Closing it closes the browser and the Playwright driver.
 */
public final class HeadlessChromium implements AutoCloseable {

  /** Where Debian's {@code chromium} package installs the browser. */
  public static final Path CHROMIUM = Path.of("/usr/bin/chromium");

  private static final String SKIP_DOWNLOAD = "PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD";

  private final Playwright playwright;
  private final Browser browser;

  private HeadlessChromium(Playwright playwright, Browser browser) {
    this.playwright = playwright;
    this.browser = browser;
  }

  /** Whether Chromium is installed where {@link #launch()} looks for it. */
  public static boolean installed() {
    return Files.isExecutable(CHROMIUM);
  }

  /** Launches {@link #CHROMIUM} headless, without sandbox, GPU or background traffic. */
  public static HeadlessChromium launch() {
    // Playwright would otherwise download its own browsers on first use.
    System.setProperty(SKIP_DOWNLOAD, "1");
    Playwright playwright =
        Playwright.create(new Playwright.CreateOptions().setEnv(Map.of(SKIP_DOWNLOAD, "1")));
    try {
      Browser browser =
          playwright
              .chromium()
              .launch(
                  new BrowserType.LaunchOptions()
                      .setExecutablePath(CHROMIUM)
                      .setHeadless(true)
                      .setArgs(
                          List.of(
                              "--headless",
                              "--no-sandbox",
                              "--disable-gpu",
                              "--disable-background-networking",
                              "--disable-component-update",
                              "--disable-sync",
                              "--no-first-run")));
      return new HeadlessChromium(playwright, browser);
    } catch (RuntimeException e) {
      playwright.close();
      throw e;
    }
  }

  public Browser browser() {
    return browser;
  }

  @Override
  public void close() {
    browser.close();
    playwright.close();
  }
}

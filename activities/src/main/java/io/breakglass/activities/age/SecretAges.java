package io.breakglass.activities.age;

import io.breakglass.activities.config.RotationSettings;
import io.breakglass.activities.config.SecretConfig;
import io.breakglass.activities.metrics.PeriodicRefresh;
import io.breakglass.activities.secrets.Label;
import io.breakglass.activities.secrets.SecretStore;
import io.breakglass.activities.secrets.SecretStoreException;
import io.breakglass.activities.secrets.SecretVersion;
import io.breakglass.workflows.RotationErrors;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How old each configured secret's CURRENT version is, for the runbook's {@code SECRET_MAX_AGE}:
 * gauges {@code breakglass_secret_age_seconds{secret}} (seconds since the version's {@code
 * rotatedAt}, else its creation in the store) and {@code breakglass_secret_max_age_seconds{secret}}
 * (the configured {@code maxAge}), so an alert compares the two. A scrape never calls the store:
 * the CURRENT version and its {@code rotatedAt} are read on a schedule ({@link #refreshEvery}) and
 * by the rotation's age check, and the age is computed from the cached time at each scrape. A
 * secret never read yet reports NaN.
 */
public final class SecretAges implements AutoCloseable {

  /** What was last read of a secret's CURRENT version. */
  public record Reading(String versionId, Instant rotatedAt) {}

  private static final Logger log = LoggerFactory.getLogger(SecretAges.class);

  private final RotationSettings settings;
  private final SecretStore store;
  private final Clock clock;
  private final Map<String, Reading> readings = new ConcurrentHashMap<>();
  private PeriodicRefresh refreshing;

  public SecretAges(RotationSettings settings, SecretStore store, Clock clock) {
    this.settings = settings;
    this.store = store;
    this.clock = clock;
  }

  /** Registers both gauges of every configured secret in {@code registry}. */
  public void bindTo(MeterRegistry registry) {
    for (SecretConfig secret : settings.secrets()) {
      String name = secret.name();
      Gauge.builder("breakglass_secret_age_seconds", this, ages -> ages.ageSeconds(name))
          .description("Seconds since the CURRENT version of the secret was made (rotatedAt)")
          .tag("secret", name)
          .register(registry);
      Gauge.builder("breakglass_secret_max_age_seconds", secret, s -> s.maxAge().toSeconds())
          .description("The secret's configured maxAge in seconds")
          .tag("secret", name)
          .register(registry);
    }
  }

  /** Reads every secret now, then again every {@code interval} on a daemon thread until closed. */
  public synchronized void refreshEvery(Duration interval) {
    if (refreshing != null) {
      throw new IllegalStateException("already refreshing");
    }
    refreshing = PeriodicRefresh.start("breakglass-secret-ages", this::refreshAll, interval);
  }

  /** Reads every configured secret; one that cannot be read keeps its last reading. */
  public void refreshAll() {
    for (SecretConfig secret : settings.secrets()) {
      try {
        refresh(secret.name());
      } catch (RuntimeException e) {
        log.warn("age of secret {} not refreshed: {}", secret.name(), e.getMessage());
      }
    }
  }

  /**
   * Reads {@code secret}'s CURRENT version from the store and caches it.
   *
   * @throws SecretStoreException {@code VERSION_NOT_FOUND} when it has no CURRENT version
   */
  public Reading refresh(String secret) {
    SecretVersion current =
        store
            .describe(secret)
            .labelled(Label.CURRENT)
            .orElseThrow(
                () ->
                    new SecretStoreException(
                        RotationErrors.VERSION_NOT_FOUND,
                        "secret " + secret + " has no CURRENT version"));
    Reading reading = new Reading(current.versionId(), rotatedAt(current));
    readings.put(secret, reading);
    return reading;
  }

  /** Whole seconds since {@code reading}'s {@code rotatedAt}, on this worker's clock. */
  public long ageSeconds(Reading reading) {
    return Duration.between(reading.rotatedAt(), clock.instant()).toSeconds();
  }

  private double ageSeconds(String secret) {
    Reading reading = readings.get(secret);
    return reading == null ? Double.NaN : ageSeconds(reading);
  }

  /**
   * {@code rotatedAt} from the version's metadata; its creation time when it has none (a first
   * version).
   */
  private static Instant rotatedAt(SecretVersion version) {
    String recorded = version.metadata().get("rotatedAt");
    if (recorded != null) {
      try {
        return Instant.parse(recorded);
      } catch (DateTimeParseException e) {
        log.warn(
            "rotatedAt of version {} is not an instant; using its creation time",
            version.versionId());
      }
    }
    return version.createdAt();
  }

  /** Stops the scheduled refresh. */
  @Override
  public synchronized void close() {
    if (refreshing != null) {
      refreshing.close();
      refreshing = null;
    }
  }
}

package io.breakglass.worker.sample;

import io.breakglass.activities.secrets.SecretStore;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The keyring the service runs with, replaced as a whole on reload (what a restart does to a real
 * backend): a request uses the keyring it started with, never half of two.
 */
final class LoadedKeyring {

  private final Path file;
  private final String deployment;
  private final List<String> secrets;
  private final List<String> optional;
  private final SecretStore store;
  private final AtomicReference<ServiceKeyring> current = new AtomicReference<>();

  /**
   * @param optional secrets used only when the store has them (see {@link ServiceKeyring#load})
   */
  LoadedKeyring(
      Path file,
      String deployment,
      List<String> secrets,
      List<String> optional,
      SecretStore store) {
    this.file = file;
    this.deployment = deployment;
    this.secrets = List.copyOf(secrets);
    this.optional = List.copyOf(optional);
    this.store = store;
    reload();
  }

  ServiceKeyring get() {
    return current.get();
  }

  /** Reads the keyring file again; on failure the previous keyring stays in use. */
  ServiceKeyring reload() {
    ServiceKeyring loaded = ServiceKeyring.load(file, deployment, secrets, optional, store);
    current.set(loaded);
    return loaded;
  }
}

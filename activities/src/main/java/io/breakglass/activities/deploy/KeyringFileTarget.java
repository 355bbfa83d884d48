package io.breakglass.activities.deploy;

import io.breakglass.workflows.messages.values.KeyringSpec;
import java.nio.file.Path;

/** A target whose workload reads its keyring from a {@link KeyringFile}; subclasses restart it. */
abstract class KeyringFileTarget implements DeploymentTarget {

  /** The deployment's name. */
  protected final String name;

  private final KeyringFile keyring;

  KeyringFileTarget(String name, Path keyringFile) {
    this.name = name;
    this.keyring = new KeyringFile(keyringFile);
  }

  @Override
  public KeyringSpec read() {
    return keyring.read(name);
  }

  @Override
  public void publish(KeyringSpec change) {
    keyring.merge(change);
  }
}

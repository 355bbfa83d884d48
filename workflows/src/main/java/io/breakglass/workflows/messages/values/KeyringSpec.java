package io.breakglass.workflows.messages.values;

import java.util.List;

/**
 * Which versions a workload may use, per secret: version ids only, never key material. The
 * deployment target resolves the material where the workload needs it.
 *
 * @param deployment the workload
 * @param entries one entry per secret it reads
 */
public record KeyringSpec(String deployment, List<KeyringEntry> entries) {

  /**
   * One secret's versions in a keyring.
   *
   * @param secret the secret's name
   * @param primaryVersionId the version new writes use
   * @param decryptOnlyVersionIds further versions reads accept
   */
  public record KeyringEntry(
      String secret, String primaryVersionId, List<String> decryptOnlyVersionIds) {}
}

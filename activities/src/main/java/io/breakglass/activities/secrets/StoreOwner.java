package io.breakglass.activities.secrets;

import io.breakglass.workflows.RotationErrors;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The host a local store file belongs to, recorded beside it in {@code <store>.owner} by the first
 * process that opens it. The local store is for development on one host: its lock and atomic writes
 * hold between processes of one machine, and pods sharing one volume would make every pod stateful.
 * A process on another host (in Kubernetes, another pod: the host name is the pod name) is refused
 * with what to use instead; processes on the owner host (the dev stack, a worker and an API side by
 * side, {@code verify}) share the file as before.
 */
public final class StoreOwner {

  private StoreOwner() {}

  /** The owner file of {@code store}. */
  public static Path ownerFile(Path store) {
    return store.resolveSibling(store.getFileName() + ".owner");
  }

  /**
   * Records {@code host} as the owner of {@code store} if nobody is recorded yet, else requires it
   * to be the recorded one.
   *
   * @throws SecretStoreException {@code INVALID_CONFIGURATION} when another host owns the store, or
   *     {@code STORE_UNAVAILABLE} when the owner file cannot be read or written
   */
  public static void claim(Path store, String host) {
    Path owner = ownerFile(store);
    try {
      Path parent = owner.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      try {
        Files.writeString(
            owner, host + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW);
        return;
      } catch (FileAlreadyExistsException taken) {
        // Recorded before (by this host, or another): compare below.
      }
      String recorded = Files.readString(owner, StandardCharsets.UTF_8).strip();
      if (!recorded.equals(host)) {
        throw new SecretStoreException(
            RotationErrors.INVALID_CONFIGURATION,
            "the local secret store "
                + store
                + " belongs to host "
                + recorded
                + " (recorded in "
                + owner
                + "), and this process runs on "
                + host
                + ": the local store is for development on one host, so pods must not share it."
                + " Keep the secrets in AWS Secrets Manager (store: AWS_SECRETS_MANAGER) or Vault"
                + " (store: VAULT) and remove rotation.secretStore; if the store has really moved"
                + " to this host, delete the owner file");
      }
    } catch (IOException e) {
      throw new SecretStoreException(
          RotationErrors.SECRET_STORE_UNAVAILABLE,
          "cannot record the owner of " + store + " in " + owner,
          e);
    }
  }

  /** This host's name: in a Kubernetes pod, the pod's name. */
  public static String thisHost() {
    String variable = System.getenv("HOSTNAME");
    if (variable != null && !variable.isBlank()) {
      return variable.strip();
    }
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "localhost";
    }
  }
}

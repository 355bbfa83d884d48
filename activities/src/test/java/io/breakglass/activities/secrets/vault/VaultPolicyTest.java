package io.breakglass.activities.secrets.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.breakglass.activities.config.SecretConfig;
import io.breakglass.activities.config.SecretStoreType;
import io.breakglass.activities.secrets.FirstVersion;
import io.breakglass.activities.testing.FakeVault;
import io.breakglass.activities.testing.FakeVault.Call;
import io.breakglass.workflows.VersionIds;
import io.breakglass.workflows.messages.values.SecretKind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy/vault/breakglass-policy.hcl grants exactly the capabilities the Vault store uses, on
 * exactly the paths it calls, for a whole API-key lifecycle: a new call, a stale grant or a granted
 * {@code destroy} fails here.
 */
class VaultPolicyTest {

  static final Path POLICY = Path.of("..", "deploy", "vault", "breakglass-policy.hcl");
  static final String SECRET = "openai";
  static final String PATH = "prod/openai-api-key";

  @TempDir Path dir;

  @Test
  void eachPathBlock_grantsExactlyTheCapabilitiesTheStoreUsesOnIt() throws IOException {
    assertSameGrants(policy(Files.readString(POLICY)), capabilitiesUsedByAWholeLifecycle());
  }

  @Test
  void thePolicy_grantsNoDestroyNoGlobAndNoSudo() throws IOException {
    Map<String, Set<String>> policy = policy(Files.readString(POLICY));

    assertThat(policy).isNotEmpty();
    assertThat(policy.keySet())
        .noneMatch(p -> p.contains("/destroy/") || p.contains("*") || p.contains("+"));
    assertThat(policy.values()).noneMatch(c -> c.contains("sudo"));
  }

  @Test
  void negativeControl_aPolicyMissingOneUsedCapability_orGrantingDestroy_fails()
      throws IOException {
    Map<String, Set<String>> used = capabilitiesUsedByAWholeLifecycle();
    String text = Files.readString(POLICY);
    Map<String, Set<String>> missingOne =
        policy(
            text.replace(
                "path \"secret/delete/" + PATH + "\" {\n  capabilities = [\"update\"]",
                "path \"secret/delete/" + PATH + "\" {\n  capabilities = []"));
    Map<String, Set<String>> withDestroy =
        policy(
            text + "\npath \"secret/destroy/" + PATH + "\" {\n  capabilities = [\"update\"]\n}\n");

    assertThatThrownBy(() -> assertSameGrants(missingOne, used)).isInstanceOf(AssertionError.class);
    assertThatThrownBy(() -> assertSameGrants(withDestroy, used))
        .isInstanceOf(AssertionError.class);
  }

  /**
   * What rotations do to an API key kept in Vault: its first version, staging, a rotation, a
   * rollback's discard, a revoke, its way back and a revoke again, a check-and-set conflict.
   * Capabilities by path.
   */
  Map<String, Set<String>> capabilitiesUsedByAWholeLifecycle() {
    try (FakeVault fake = FakeVault.start()) {
      VaultKvStore store =
          new VaultKvStore(
              fake.config(dir.resolve("token"), Map.of(SECRET, PATH)),
              List.of(
                  new SecretConfig(SECRET, SecretKind.API_KEY, SecretStoreType.VAULT, null, null)),
              Clock.systemUTC(),
              name -> null);
      String initial =
          FirstVersion.ensure(store, SECRET, () -> "sk-initial".getBytes(StandardCharsets.UTF_8));
      String r1 = rotate(store, "r1", "sk-one");
      store.moveCurrent(SECRET, r1);
      String r2 = rotate(store, "r2", "sk-two");
      store.discard(SECRET, r2);
      fake.beforeNextDataWrite(path -> fake.put(path, Map.of("value", "sk-outside")));
      String r3 = rotate(store, "r3", "sk-three");
      store.moveCurrent(SECRET, r3);
      store.restoreLabels(SECRET, r1, initial);
      store.moveCurrent(SECRET, r3);
      store.revoke(SECRET, initial, "r3");
      store.unrevoke(SECRET, initial, "r3");
      store.revoke(SECRET, initial, "r3");
      store.material(SECRET, r3);

      Map<String, Set<String>> used = new LinkedHashMap<>();
      for (Call call : fake.calls()) {
        used.computeIfAbsent(call.path(), p -> new TreeSet<>()).add(call.capability());
      }
      return used;
    }
  }

  private static String rotate(VaultKvStore store, String rotationId, String apiKey) {
    store.stage(SECRET, apiKey.getBytes(StandardCharsets.UTF_8));
    String versionId = VersionIds.forRotation(rotationId, SECRET);
    store.createPending(SECRET, versionId, store.staged(SECRET), Map.of("rotationId", rotationId));
    store.clearStaged(SECRET);
    return versionId;
  }

  private static void assertSameGrants(
      Map<String, Set<String>> policy, Map<String, Set<String>> used) {
    assertThat(policy.keySet())
        .as("the paths granted and called")
        .containsExactlyInAnyOrderElementsOf(used.keySet());
    used.forEach(
        (path, capabilities) ->
            assertThat(policy.get(path))
                .as("capabilities on %s", path)
                .containsExactlyInAnyOrderElementsOf(capabilities));
  }

  /** Path to capabilities, from the HCL's {@code path "..." { capabilities = [...] }} blocks. */
  static Map<String, Set<String>> policy(String hcl) {
    String code =
        Stream.of(hcl.split("\n"))
            .filter(l -> !l.strip().startsWith("#"))
            .collect(Collectors.joining("\n"));
    Map<String, Set<String>> policy = new LinkedHashMap<>();
    Matcher block =
        Pattern.compile("path\\s+\"([^\"]+)\"\\s*\\{\\s*capabilities\\s*=\\s*\\[([^\\]]*)\\]\\s*}")
            .matcher(code);
    while (block.find()) {
      Set<String> capabilities = new TreeSet<>();
      Matcher word = Pattern.compile("\"([a-z]+)\"").matcher(block.group(2));
      while (word.find()) {
        capabilities.add(word.group(1));
      }
      policy.put(block.group(1), capabilities);
    }
    return policy;
  }
}

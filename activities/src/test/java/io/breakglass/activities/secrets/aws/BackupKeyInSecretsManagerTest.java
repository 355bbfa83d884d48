package io.breakglass.activities.secrets.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.breakglass.activities.backup.StoreBackupKeys;
import io.breakglass.activities.crypto.KeyId;
import io.breakglass.activities.testing.FakeSecretsManager;
import io.breakglass.activities.testing.FakeSecretsManager.Call;
import io.breakglass.activities.testing.IamPolicy;
import io.breakglass.activities.testing.IamPolicy.Statement;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.stream.Collectors;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * Stateless pods with every secret in Secrets Manager: Breakglass's own backup key is created there
 * on first use, once however many pods start together, is the same key in every pod (a backup
 * written by one restores in another), and the IAM policy grants exactly what that takes.
 */
class BackupKeyInSecretsManagerTest {

  static final String BACKUP_KEY = "SecretsManagerBackupKey";

  private final FakeSecretsManager fake = FakeSecretsManager.start();
  private final List<SecretsManagerClient> clients = new ArrayList<>();

  @AfterEach
  void stop() {
    clients.forEach(SecretsManagerClient::close);
    fake.close();
  }

  @Test
  void theFirstPodCreatesTheKey_CURRENTAtOnce_andTheNextOneCreatesNothing() {
    StoreBackupKeys.ensure(pod());

    assertThat(fake.exists(StoreBackupKeys.SECRET)).isTrue();
    assertThat(fake.labels(StoreBackupKeys.SECRET).values())
        .singleElement()
        .satisfies(labels -> assertThat(labels).contains("AWSCURRENT"));
    KeyId first = new StoreBackupKeys(pod()).current();

    fake.clearCalls();
    StoreBackupKeys.ensure(pod());

    assertThat(operations()).doesNotContain("CreateSecret", "PutSecretValue");
    assertThat(new StoreBackupKeys(pod()).current()).isEqualTo(first);
  }

  @Test
  void podsStartingTogether_makeOneKey_andABackupOneWritesTheOtherDecrypts() throws Exception {
    int pods = 4;
    CyclicBarrier together = new CyclicBarrier(pods);
    List<CompletableFuture<Void>> starts = new ArrayList<>();
    for (int i = 0; i < pods; i++) {
      AwsSecretsManagerStore store = pod();
      starts.add(
          CompletableFuture.runAsync(
              () -> {
                await(together);
                StoreBackupKeys.ensure(store);
              }));
    }
    CompletableFuture.allOf(starts.toArray(CompletableFuture[]::new)).join();

    assertThat(fake.labels(StoreBackupKeys.SECRET)).hasSize(1);
    StoreBackupKeys writer = new StoreBackupKeys(pod());
    StoreBackupKeys reader = new StoreBackupKeys(pod());
    assertThat(reader.current()).isEqualTo(writer.current());
    byte[] plaintext = "chart-0001 backup".getBytes(StandardCharsets.UTF_8);
    byte[] iv = new byte[12];
    new SecureRandom().nextBytes(iv);
    byte[] sealed = gcm(Cipher.ENCRYPT_MODE, writer.key(writer.current()), iv, plaintext);
    assertThat(gcm(Cipher.DECRYPT_MODE, reader.key(writer.current()), iv, sealed))
        .isEqualTo(plaintext);
  }

  @Test
  void theIamPolicy_grantsTheBackupKeyExactlyWhatItsFirstUseAndItsReadsCall() {
    StoreBackupKeys.ensure(pod());
    StoreBackupKeys keys = new StoreBackupKeys(pod());
    keys.key(keys.current());
    StoreBackupKeys.ensure(pod());

    Statement statement = IamPolicy.load().statement(BACKUP_KEY);
    assertThat(statement.resources())
        .containsExactly(
            "arn:aws:secretsmanager:eu-west-1:111122223333:secret:"
                + StoreBackupKeys.SECRET
                + "-??????");
    assertGrantsExactly(statement, actions());
    for (String sid : IamPolicy.load().sids()) {
      if (!sid.equals(BACKUP_KEY)) {
        assertThat(IamPolicy.load().statement(sid).resources())
            .as("only %s names the backup key", BACKUP_KEY)
            .noneMatch(r -> r.contains(StoreBackupKeys.SECRET));
      }
    }
  }

  /**
   * Negative control: the grant the backup key had before this test (the rotated secrets'
   * statement, without CreateSecret) fails it.
   */
  @Test
  void negativeControl_aGrantWithoutCreateSecret_fails() {
    StoreBackupKeys.ensure(pod());
    Statement statement = IamPolicy.load().statement(BACKUP_KEY);
    Set<String> withoutCreate = new LinkedHashSet<>(statement.actions());
    withoutCreate.remove("secretsmanager:CreateSecret");
    Statement older =
        new Statement(statement.sid(), statement.effect(), withoutCreate, statement.resources());

    assertThatThrownBy(() -> assertGrantsExactly(older, actions()))
        .isInstanceOf(AssertionError.class);
  }

  private static void assertGrantsExactly(Statement statement, Set<String> called) {
    assertThat(statement.actions())
        .as("actions of statement %s", statement.sid())
        .containsExactlyInAnyOrderElementsOf(called);
  }

  /** A new pod: its own client and store, nothing shared with the others but Secrets Manager. */
  private AwsSecretsManagerStore pod() {
    SecretsManagerClient client = fake.client();
    clients.add(client);
    return new AwsSecretsManagerStore(client, List.of(), Clock.systemUTC());
  }

  private List<String> operations() {
    return fake.calls().stream().map(Call::operation).toList();
  }

  private Set<String> actions() {
    return fake.calls().stream()
        .filter(c -> c.secretId().contains(StoreBackupKeys.SECRET))
        .map(c -> "secretsmanager:" + c.operation())
        .collect(Collectors.toCollection(LinkedHashSet::new));
  }

  private static byte[] gcm(int mode, SecretKey key, byte[] iv, byte[] input) throws Exception {
    Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
    cipher.init(mode, key, new GCMParameterSpec(128, iv));
    return cipher.doFinal(input);
  }

  private static void await(CyclicBarrier barrier) {
    try {
      barrier.await();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}

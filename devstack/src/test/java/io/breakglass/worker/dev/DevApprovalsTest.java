package io.breakglass.worker.dev;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.breakglass.activities.config.RotationSettings;
import io.breakglass.workflows.messages.values.ApprovalPolicy;
import io.breakglass.workflows.messages.values.ApproverKey;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The data folder's {@code approvals.json} decides dev's approval rules: absent, unsigned decisions
 * count; present, its keys and its allowUnsigned hold; broken, dev refuses to start naming the
 * file.
 */
class DevApprovalsTest {

  /** What {@code breakglass approval keygen} prints for an Ed25519 key: 32 bytes, base64. */
  private static final String PUBLIC_KEY = "11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=";

  @TempDir Path folder;

  @Test
  void withoutTheFile_unsignedDecisionsCount() {
    DevLayout layout = new DevLayout(folder);

    ApprovalPolicy policy = policyOf(DevApprovals.apply(layout, DevSettings.create(layout)));

    assertThat(policy.allowUnsigned()).isTrue();
    assertThat(policy.keys()).isEmpty();
  }

  @Test
  void theFilesKeysAndRules_replaceTheDefault() throws Exception {
    DevLayout layout = new DevLayout(folder);
    Files.writeString(
        layout.approvals(),
        "{\"allowUnsigned\": false, \"keys\": {\"bob\": {\"bob-1\": \"" + PUBLIC_KEY + "\"}}}");

    ApprovalPolicy policy = policyOf(DevApprovals.apply(layout, DevSettings.create(layout)));

    assertThat(policy.allowUnsigned()).isFalse();
    assertThat(policy.keys()).containsExactly(new ApproverKey("bob", "bob-1", PUBLIC_KEY));
  }

  @Test
  void aFileThatIsNoApprovalsSection_stopsDev_namingTheFile() throws Exception {
    DevLayout layout = new DevLayout(folder);
    Files.writeString(layout.approvals(), "{\"allowUnsigend\": true}");
    assertThatThrownBy(() -> DevApprovals.apply(layout, DevSettings.create(layout)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(layout.approvals().toString())
        .hasMessageContaining("allowUnsigend");

    Files.writeString(layout.approvals(), "{\"allowUnsigned\": false}");
    assertThatThrownBy(() -> DevApprovals.apply(layout, DevSettings.create(layout)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("with allowUnsigned false, list keys or an oidc provider");
  }

  private static ApprovalPolicy policyOf(RotationSettings settings) {
    return settings.approvals().policy();
  }
}

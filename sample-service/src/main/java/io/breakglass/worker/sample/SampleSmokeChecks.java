package io.breakglass.worker.sample;

import io.breakglass.activities.config.HttpCheckConfig;
import io.breakglass.activities.config.JwtCheckConfig;
import java.net.URI;
import java.util.List;
import java.util.Map;

/** The HTTP smoke checks the runbook asks for, against a sample service. */
public final class SampleSmokeChecks {

  private SampleSmokeChecks() {}

  /**
   * Against the service at {@code base} (e.g. {@code http://127.0.0.1:8085}): upload a canary chart
   * and read it back, write a snapshot and check its stored envelope carries the new key id, open a
   * session with a token signed by the new jwt version (after REVOKE the revoked version's token
   * must get 401), health.
   */
  public static List<HttpCheckConfig> against(URI base) {
    String url = base.toString().replaceAll("/+$", "");
    return List.of(
        new HttpCheckConfig(
            "upload canary chart",
            "POST",
            url + "/charts/canary-patient",
            "${canary}",
            201,
            Map.of("/keyId", "${keyId:artifact-encryption-key}"),
            null,
            Map.of("artifact", "/artifact")),
        new HttpCheckConfig(
            "read canary chart",
            "GET",
            url + "/charts/${artifact}",
            null,
            200,
            null,
            "${canary}",
            null),
        new HttpCheckConfig(
            "write canary snapshot",
            "POST",
            url + "/snapshots",
            "{\"canary\":\"${canary}\"}",
            201,
            Map.of("/keyId", "${keyId:ai-payload-encryption-key}"),
            null,
            Map.of("snapshot", "/id")),
        new HttpCheckConfig(
            "read canary snapshot",
            "GET",
            url + "/snapshots/${snapshot}",
            null,
            200,
            Map.of("/keyId", "${keyId:ai-payload-encryption-key}", "/snapshot/canary", "${canary}"),
            null,
            null),
        new HttpCheckConfig(
            "jwt session",
            "GET",
            url + "/session",
            null,
            200,
            Map.of("/keyId", "${keyId:jwt}"),
            null,
            null,
            null,
            new JwtCheckConfig("jwt")),
        new HttpCheckConfig(
            "health", null, url + "/health", null, null, Map.of("/status", "UP"), null, null));
  }
}

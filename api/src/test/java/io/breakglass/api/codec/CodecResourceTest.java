package io.breakglass.api.codec;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.MessageLite;
import com.google.protobuf.util.JsonFormat;
import io.breakglass.api.auth.Caller;
import io.breakglass.workflows.BreakglassDataConverter;
import io.breakglass.workflows.codec.CodecKeyring;
import io.breakglass.workflows.codec.PayloadEncryptionCodec;
import io.breakglass.workflows.messages.commands.Approval;
import io.breakglass.workflows.messages.values.GateName;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.dropwizard.testing.junit5.ResourceExtension;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.common.v1.Payloads;
import io.temporal.common.converter.DataConverter;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.client.Invocation;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The codec endpoints as the Temporal UI calls them: the protobuf JSON protocol, the roles each
 * endpoint admits, and CORS for the allow-listed UI origin only.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class CodecResourceTest {

  private static final String UI = "https://temporal-ui.example.com";
  private static final String CANARY = "canary-approval-comment-61c0";
  private static final CodecKeyring KEYRING = keyring();
  private static final DataConverter WORKER = BreakglassDataConverter.create(KEYRING);

  static final ResourceExtension resources =
      ResourceExtension.builder()
          .addResource(new CodecResource(new PayloadEncryptionCodec(KEYRING)))
          .addProvider(new CodecCors(new CodecServerConfig(List.of(UI))))
          .addProvider(new CodecAuthentication(CodecResourceTest::oneRoleEach))
          .build();

  /** The codec resource alone, without its authentication. */
  static final ResourceExtension unguarded =
      ResourceExtension.builder()
          .addResource(new CodecResource(new PayloadEncryptionCodec(KEYRING)))
          .build();

  @Test
  void aViewer_decodesWhatAWorkerEncrypted() throws Exception {
    Payload encrypted = WORKER.toPayload(approval()).orElseThrow();
    assertThat(wireText(encrypted)).doesNotContain(CANARY);

    Response response = call("/codec/decode", "v-token").post(json(encrypted));

    assertThat(response.getStatus()).isEqualTo(200);
    Payload decoded = payloads(response.readEntity(String.class)).get(0);
    assertThat(decoded.getData().toStringUtf8()).contains(CANARY);
    assertThat(decoded.getMetadataMap().get("encoding").toStringUtf8()).isEqualTo("json/plain");
  }

  @Test
  void anOperatorEncodes_andAWorkerReadsTheResult() throws Exception {
    Payload plain = BreakglassDataConverter.create().toPayload(approval()).orElseThrow();

    Response response = call("/codec/encode", "o-token").post(json(plain));

    assertThat(response.getStatus()).isEqualTo(200);
    Payload encrypted = payloads(response.readEntity(String.class)).get(0);
    assertThat(encrypted.getMetadataMap().get("encryption-key-id").toStringUtf8())
        .isEqualTo("codec-ui");
    assertThat(wireText(encrypted)).doesNotContain(CANARY);
    assertThat(WORKER.fromPayload(encrypted, Approval.class, Approval.class)).isEqualTo(approval());
  }

  @Test
  void everyRole_decodes_butOnlyOperatorsApproversAndAdmins_encode() throws Exception {
    Payload plain = BreakglassDataConverter.create().toPayload(approval()).orElseThrow();
    for (String token : List.of("v-token", "o-token", "a-token", "x-token")) {
      assertThat(call("/codec/decode", token).post(json(plain)).getStatus())
          .as(token)
          .isEqualTo(200);
    }
    assertThat(call("/codec/encode", "v-token").post(json(plain)).getStatus()).isEqualTo(403);
    for (String token : List.of("o-token", "a-token", "x-token")) {
      assertThat(call("/codec/encode", token).post(json(plain)).getStatus())
          .as(token)
          .isEqualTo(200);
    }
  }

  @Test
  void withoutAValidToken_bothEndpointsAnswer401() throws Exception {
    Payload plain = BreakglassDataConverter.create().toPayload(approval()).orElseThrow();
    for (String endpoint : List.of("/codec/decode", "/codec/encode")) {
      assertThat(resources.target(endpoint).request().post(json(plain)).getStatus()).isEqualTo(401);
      assertThat(call(endpoint, "stolen-token").post(json(plain)).getStatus()).isEqualTo(401);
    }
  }

  @Test
  void withoutItsAuthentication_theResourceIsClosed_evenToAKnownToken() throws Exception {
    Payload plain = BreakglassDataConverter.create().toPayload(approval()).orElseThrow();
    for (String endpoint : List.of("/codec/decode", "/codec/encode")) {
      Response response =
          unguarded
              .target(endpoint)
              .request()
              .header("Authorization", "Bearer x-token")
              .post(json(plain));

      assertThat(response.getStatus()).as(endpoint).isEqualTo(401);
    }
  }

  @Test
  void aPayloadUnderAnUnknownCodecKey_is400NamingTheKeyId() throws Exception {
    Payload foreign =
        BreakglassDataConverter.create(keyring("codec-elsewhere"))
            .toPayload(approval())
            .orElseThrow();

    Response response = call("/codec/decode", "v-token").post(json(foreign));

    assertThat(response.getStatus()).isEqualTo(400);
    assertThat(response.readEntity(String.class))
        .contains("codec key codec-elsewhere")
        .doesNotContain(CANARY);
  }

  @Test
  void aBodyThatIsNotACodecRequest_is400WithoutQuotingIt() {
    Response response =
        call("/codec/decode", "v-token")
            .post(Entity.entity("{\"payloads\": \"" + CANARY + "\"}", MediaType.APPLICATION_JSON));

    assertThat(response.getStatus()).isEqualTo(400);
    assertThat(response.readEntity(String.class))
        .contains("not a codec request")
        .doesNotContain(CANARY);
  }

  @Test
  void aPreflightFromTheAllowedUi_isAnsweredWithoutAToken() {
    Response response =
        resources
            .target("/codec/decode")
            .request()
            .header("Origin", UI)
            .header("Access-Control-Request-Method", "POST")
            .header("Access-Control-Request-Headers", "authorization, content-type, x-namespace")
            .options();

    assertThat(response.getStatus()).isEqualTo(204);
    assertThat(response.getHeaderString("Access-Control-Allow-Origin")).isEqualTo(UI);
    assertThat(response.getHeaderString("Access-Control-Allow-Methods")).contains("POST");
    assertThat(response.getHeaderString("Access-Control-Allow-Headers"))
        .contains("Authorization", "X-Namespace");
  }

  @Test
  void negativeControl_anotherOrigin_getsNoCorsHeaders_onPreflightOrRequest() throws Exception {
    Response preflight =
        resources
            .target("/codec/decode")
            .request()
            .header("Origin", "https://evil.example.com")
            .header("Access-Control-Request-Method", "POST")
            .options();
    Response request =
        call("/codec/decode", "v-token")
            .header("Origin", "https://evil.example.com")
            .post(json(BreakglassDataConverter.create().toPayload(approval()).orElseThrow()));

    assertThat(preflight.getHeaderString("Access-Control-Allow-Origin")).isNull();
    assertThat(request.getHeaderString("Access-Control-Allow-Origin")).isNull();
  }

  @Test
  void aRequestFromTheAllowedUi_carriesCorsHeaders_onSuccessAndOnRefusal() throws Exception {
    Payload plain = BreakglassDataConverter.create().toPayload(approval()).orElseThrow();

    Response ok =
        call("/codec/decode", "v-token")
            .header("Origin", UI)
            .header("X-Namespace", "default")
            .post(json(plain));
    Response refused =
        resources.target("/codec/decode").request().header("Origin", UI).post(json(plain));

    assertThat(ok.getStatus()).isEqualTo(200);
    assertThat(ok.getHeaderString("Access-Control-Allow-Origin")).isEqualTo(UI);
    assertThat(refused.getStatus()).isEqualTo(401);
    assertThat(refused.getHeaderString("Access-Control-Allow-Origin")).isEqualTo(UI);
  }

  /** A stand-in for the application's callers: each test token signs in with one role. */
  private static Optional<Caller> oneRoleEach(String token) {
    Map<String, String> roles =
        Map.of(
            "v-token", "viewer", "o-token", "operator", "a-token", "approver", "x-token", "admin");
    return Optional.ofNullable(roles.get(token))
        .map(role -> new Caller(role + "-caller", Set.of(role)));
  }

  private static Invocation.Builder call(String endpoint, String token) {
    return resources.target(endpoint).request().header("Authorization", "Bearer " + token);
  }

  private static Entity<String> json(Payload payload) throws Exception {
    return Entity.entity(
        JsonFormat.printer().print(Payloads.newBuilder().addPayloads(payload)),
        MediaType.APPLICATION_JSON);
  }

  private static List<Payload> payloads(String json) throws Exception {
    Payloads.Builder payloads = Payloads.newBuilder();
    JsonFormat.parser().merge(json, payloads);
    return payloads.getPayloadsList();
  }

  private static Approval approval() {
    return new Approval(GateName.PROCEED, "bob", CANARY);
  }

  private static CodecKeyring keyring() {
    return keyring("codec-ui");
  }

  private static CodecKeyring keyring(String id) {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return CodecKeyring.of(id, Map.of(id, key));
  }

  /**
   * The message's wire bytes as Latin-1 text: one char per byte, so a search for ASCII is exact.
   */
  private static String wireText(MessageLite message) {
    return message.toByteString().toString(StandardCharsets.ISO_8859_1);
  }
}

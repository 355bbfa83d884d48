package io.breakglass.activities.approval;

import io.breakglass.activities.config.ApprovalIdentityProviderConfig;
import io.breakglass.activities.config.ApprovalsConfig;
import io.breakglass.workflows.RotationErrors;
import io.breakglass.workflows.activities.ApprovalActivities;
import io.breakglass.workflows.messages.values.Jwk;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/** {@link ApprovalActivities}: the configured identity provider's JWKS, over HTTPS. */
public final class ApprovalActivitiesImpl implements ApprovalActivities {

  /** The largest JWKS read. */
  static final int MAX_JWKS_BYTES = 256 * 1024;

  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final ApprovalsConfig config;
  private final HttpClient http;

  public ApprovalActivitiesImpl(ApprovalsConfig config) {
    this(
        config,
        HttpClient.newBuilder()
            .connectTimeout(TIMEOUT)
            // A redirect could lead off the configured host; the configured URI is the one.
            .followRedirects(HttpClient.Redirect.NEVER)
            .build());
  }

  ApprovalActivitiesImpl(ApprovalsConfig config, HttpClient http) {
    this.config = config;
    this.http = http;
  }

  @Override
  public IssuerKeys issuerKeys(KeysRequest request) {
    ApprovalIdentityProviderConfig oidc = config == null ? null : config.oidc();
    if (oidc == null) {
      throw RotationErrors.INVALID_CONFIGURATION.failure(
          "rotation "
              + request.rotationId()
              + " verifies tokens of "
              + request.issuer()
              + ", but no identity provider is configured (rotation.approvals.oidc)");
    }
    if (!oidc.issuer().equals(request.issuer())) {
      throw RotationErrors.INVALID_CONFIGURATION.failure(
          "rotation "
              + request.rotationId()
              + " verifies tokens of "
              + request.issuer()
              + ", but the configured identity provider is now "
              + oidc.issuer());
    }
    byte[] body = fetch(oidc);
    List<Jwk> keys;
    try {
      keys = JwksDocument.publicSigningKeys(body);
    } catch (IllegalArgumentException unreadable) {
      throw RotationErrors.IDENTITY_PROVIDER_UNAVAILABLE.failure(
          "the JWKS at " + oidc.jwksUri() + " cannot be used: " + unreadable.getMessage());
    }
    return new IssuerKeys(oidc.issuer(), keys);
  }

  private byte[] fetch(ApprovalIdentityProviderConfig oidc) {
    HttpRequest get =
        HttpRequest.newBuilder(oidc.jwksUri())
            .timeout(TIMEOUT)
            .header("Accept", "application/jwk-set+json, application/json")
            .GET()
            .build();
    try {
      HttpResponse<InputStream> response =
          http.send(get, HttpResponse.BodyHandlers.ofInputStream());
      try (InputStream in = response.body()) {
        if (response.statusCode() != 200) {
          throw RotationErrors.IDENTITY_PROVIDER_UNAVAILABLE.failure(
              "the JWKS at " + oidc.jwksUri() + " answered " + response.statusCode());
        }
        byte[] body = in.readNBytes(MAX_JWKS_BYTES + 1);
        if (body.length > MAX_JWKS_BYTES) {
          throw RotationErrors.IDENTITY_PROVIDER_UNAVAILABLE.failure(
              "the JWKS at " + oidc.jwksUri() + " is larger than " + MAX_JWKS_BYTES + " bytes");
        }
        return body;
      }
    } catch (IOException unreachable) {
      throw RotationErrors.IDENTITY_PROVIDER_UNAVAILABLE.failure(
          "the JWKS at "
              + oidc.jwksUri()
              + " cannot be read: "
              + unreachable.getClass().getSimpleName());
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
      throw RotationErrors.IDENTITY_PROVIDER_UNAVAILABLE.failure(
          "interrupted while reading the JWKS at " + oidc.jwksUri());
    }
  }
}

package io.breakglass.activities.config;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.breakglass.workflows.approval.ApprovalStatement;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;

/**
 * The identity provider whose tokens prove who starts and decides ({@code
 * rotation.approvals.oidc}). A token counts when its {@code iss} is {@code issuer}, its {@code aud}
 * holds {@code audience}, it verifies with a key of the JWKS at {@code jwksUri} and its {@code
 * nonce} binds it to the rotation and action. The worker fetches the JWKS; the workflow holds it.
 *
 * @param issuer the exact {@code iss} of the provider's tokens
 * @param audience the client id (or audience) the tokens are issued for; best one that the operator
 *     API does not accept as a bearer token, so a proof read from a history is no API credential
 * @param jwksUri where the provider publishes its signing keys; HTTPS, or HTTP on loopback
 * @param nameClaim the claim naming the person (default {@code preferred_username})
 */
public record ApprovalIdentityProviderConfig(
    @NotBlank String issuer, @NotBlank String audience, @NotNull URI jwksUri, String nameClaim) {

  public ApprovalIdentityProviderConfig {
    nameClaim = nameClaim == null || nameClaim.isBlank() ? "preferred_username" : nameClaim;
  }

  /** A signed statement's issuer is reserved, so no token is ever taken for a statement. */
  @JsonIgnore
  @AssertTrue(
      message =
          "is false: the issuer " + ApprovalStatement.ISSUER + " is reserved for signed statements")
  public boolean isIssuerNotReserved() {
    return !ApprovalStatement.ISSUER.equals(issuer);
  }

  /** The JWKS decides whose tokens count: it must not travel unprotected. */
  @JsonIgnore
  @AssertTrue(message = "is false: jwksUri must be https (or http on loopback)")
  public boolean isJwksUriProtected() {
    if (jwksUri == null) {
      return true;
    }
    if ("https".equalsIgnoreCase(jwksUri.getScheme())) {
      return true;
    }
    if (!"http".equalsIgnoreCase(jwksUri.getScheme()) || jwksUri.getHost() == null) {
      return false;
    }
    try {
      return InetAddress.getByName(jwksUri.getHost()).isLoopbackAddress();
    } catch (UnknownHostException unknown) {
      return false;
    }
  }
}

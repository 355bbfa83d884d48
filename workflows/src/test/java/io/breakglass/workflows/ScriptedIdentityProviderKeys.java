package io.breakglass.workflows;

import io.breakglass.workflows.activities.ApprovalActivities;
import io.breakglass.workflows.messages.values.Jwk;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The identity provider's JWKS as a script: the keys a test says it publishes now, and how often
 * the workflow fetched them.
 */
final class ScriptedIdentityProviderKeys implements ApprovalActivities {

  volatile List<Jwk> published = List.of();

  final AtomicInteger fetches = new AtomicInteger();

  ScriptedIdentityProviderKeys(List<Jwk> published) {
    this.published = published;
  }

  @Override
  public IssuerKeys issuerKeys(KeysRequest request) {
    fetches.incrementAndGet();
    return new IssuerKeys(request.issuer(), published);
  }
}

package io.breakglass.api.wire;

import io.breakglass.workflows.messages.commands.CommandJson;

/**
 * The shape of a proof in a request body: a compact JWS (an identity provider's ID token bound to
 * the action, or a signed approval statement), as the workflow reads it too. Anything else is 422
 * naming the field before the API looks inside.
 */
public final class Proofs {

  /** Three base64url parts separated by dots. */
  public static final String COMPACT_JWS = "[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+";

  public static final String COMPACT_JWS_RULE =
      "must be a compact JWS: three base64url parts separated by dots";

  /** The longest proof the workflow reads. */
  public static final int MAX_LENGTH = CommandJson.MAX_PROOF;

  private Proofs() {}
}

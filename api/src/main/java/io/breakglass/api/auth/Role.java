package io.breakglass.api.auth;

import java.util.Set;

/**
 * The four roles of the operator API, as {@code @RolesAllowed} names them. Roles are explicit: no
 * role implies another, so every endpoint lists every role it admits.
 */
public final class Role {

  /** Reads rotations, their status and reports. */
  public static final String VIEWER = "viewer";

  /** Starts, halts, resumes and cancels rotations, confirms restarts, supplies pending values. */
  public static final String OPERATOR = "operator";

  /** Approves or rejects gates (never their own rotation's). */
  public static final String APPROVER = "approver";

  /** Everything, plus the audit log. */
  public static final String ADMIN = "admin";

  /** Every role name. */
  public static final Set<String> ALL = Set.of(VIEWER, OPERATOR, APPROVER, ADMIN);

  /** The pattern configuration validates role names with. */
  public static final String PATTERN = "viewer|operator|approver|admin";

  private Role() {}
}

package io.breakglass.api;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A test class of the operator API on the {@link ApiTestbed} every such class shares. */
public abstract class ApiTest {

  protected static ApiTestbed testbed;

  @RegisterExtension
  static final BeforeAllCallback SHARED = context -> testbed = ApiTestbed.shared(context);
}

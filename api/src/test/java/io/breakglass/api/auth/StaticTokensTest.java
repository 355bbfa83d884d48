package io.breakglass.api.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class StaticTokensTest {

  private final StaticTokens tokens =
      new StaticTokens(
          List.of(
              new TokenConfig("alice", StaticTokens.hash("alice-token"), Set.of(Role.OPERATOR)),
              new TokenConfig("bob", StaticTokens.hash("bob-token"), Set.of(Role.APPROVER))));

  @Test
  void aConfiguredToken_authenticatesItsOwner_withItsRoles() {
    assertThat(tokens.authenticate("bob-token")).contains(new Caller("bob", Set.of(Role.APPROVER)));
  }

  @Test
  void anUnknownToken_orAHashPresentedAsAToken_isRefused() {
    assertThat(tokens.authenticate("carol-token")).isEmpty();
    assertThat(tokens.authenticate(StaticTokens.hash("alice-token"))).isEmpty();
  }

  @Test
  void theHash_isTheSha256OfTheToken() {
    // printf %s password | sha256sum
    assertThat(StaticTokens.hash("password"))
        .isEqualTo("5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8");
  }

  @Test
  void aTokenConfig_neverPrintsItsHash() {
    assertThat(
            new TokenConfig("alice", StaticTokens.hash("alice-token"), Set.of(Role.OPERATOR))
                .toString())
        .doesNotContain(StaticTokens.hash("alice-token"));
  }
}

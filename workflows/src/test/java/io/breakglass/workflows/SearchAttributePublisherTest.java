package io.breakglass.workflows;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The secrets search attribute stays within what a server accepts as one value. */
class SearchAttributePublisherTest {

  @Test
  void usualSecrets_areAllKept() {
    assertThat(SearchAttributePublisher.fitting(List.of("jwt", "openai")))
        .containsExactly("jwt", "openai");
  }

  @Test
  void theLongestRequest_keepsTheNamesThatFitInTwoKilobytes_inOrder() {
    List<String> longest = IntStream.range(0, 32).mapToObj(i -> i + "-" + "s".repeat(197)).toList();

    List<String> kept = SearchAttributePublisher.fitting(longest);

    assertThat(kept).isNotEmpty().isEqualTo(longest.subList(0, kept.size()));
    int json = 2 + kept.stream().mapToInt(name -> name.length() + 3).sum();
    assertThat(json).isLessThanOrEqualTo(2_048);
    assertThat(kept.size())
        .as("negative control: the whole request would not fit")
        .isLessThan(longest.size());
  }
}

package io.breakglass.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.breakglass.activities.config.AssociatedDataMode;
import io.breakglass.activities.config.DataSetConfig;
import io.breakglass.activities.config.FormatProfile;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.jersey.validation.Validators;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The data sets of the adoption guide's configuration ({@code docs/adopting.md}, which {@code
 * docs/adopting/formats.md} describes) parse, as the server parses them, into the profiles it
 * describes.
 */
class FormatProfileDocTest {

  @Test
  void theGuidesDataSets_parseIntoApplicationJsonProfiles() throws Exception {
    String yaml = AdoptingGuideTest.guideConfiguration();
    ObjectMapper mapper =
        Jackson.newObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    List<DataSetConfig> dataSets = new ArrayList<>();
    for (JsonNode node : mapper.readTree(yaml).path("rotation").path("dataSets")) {
      dataSets.add(mapper.treeToValue(node, DataSetConfig.class));
    }

    assertThat(dataSets).hasSize(2);
    assertThat(dataSets)
        .allSatisfy(d -> assertThat(Validators.newValidator().validate(d)).isEmpty());
    FormatProfile table = dataSets.get(0).profile();
    assertThat(table.kind()).isEqualTo(FormatProfile.Kind.APPLICATION_JSON);
    assertThat(List.of(table.ciphertextField(), table.nonceField(), table.tagField()))
        .containsExactly("data", "iv", "tag");
    assertThat(table.keyIdField()).isNull();
    assertThat(table.namesKeys()).isFalse();
    assertThat(table.fixedFields()).isEqualTo(Map.of("scheme", "notes-aesgcm"));
    assertThat(dataSets.get(0).associatedData()).isEqualTo(AssociatedDataMode.ROW_ID);
    assertThat(dataSets.get(1).profile().encoding()).isEqualTo(FormatProfile.Encoding.HEX);
  }

  @Test
  void aDataSetWithoutProfile_isEnvelopeV1() throws Exception {
    ObjectMapper mapper = Jackson.newObjectMapper(new YAMLFactory());

    DataSetConfig plain =
        mapper.readValue(
            "{name: a, secret: s, type: ARTIFACT_DIRECTORY, directory: /tmp, associatedData: OBJECT_PATH}",
            DataSetConfig.class);

    assertThat(plain.profile()).isEqualTo(FormatProfile.BREAKGLASS_V1);
  }
}
